using LoanHub.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Data;

/// <summary>
/// The store's model on PostgreSQL, as a type of its own so that EF Core keeps PostgreSQL's migrations
/// (<c>Data/Migrations/Postgres</c>, marked <c>[DbContext(typeof(PostgresLoanHubDbContext))]</c>) apart from SQLite's,
/// which belong to <see cref="LoanHubDbContext"/>. It applies them at start and at design time, and it holds what only
/// a PostgreSQL store keeps: the Data Protection key ring and the look-up key, so that instances sharing the database
/// share them too (ADR 0013). The application's code uses <see cref="LoanHubDbContext"/> on both providers.
/// </summary>
public sealed class PostgresLoanHubDbContext(DbContextOptions<PostgresLoanHubDbContext> options, PersonalData personalData)
    : LoanHubDbContext(options, personalData), IDataProtectionKeyContext
{
    /// <summary>The key ring's keys, as Data Protection writes them (encrypted to the certificate when there is one).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The look-up key, one row, encrypted by the key ring.</summary>
    public DbSet<StoredLookupKey> LookupKeys => Set<StoredLookupKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<DataProtectionKey>().ToTable("DataProtectionKeys");
        builder.Entity<StoredLookupKey>(key =>
        {
            key.ToTable("LookupKeys");
            key.HasKey(k => k.Id);
            key.Property(k => k.Id).ValueGeneratedNever();
        });
    }
}

/// <summary>The installation's look-up key, protected by the key ring, as the one row (id 1) of <c>LookupKeys</c>.</summary>
public sealed class StoredLookupKey
{
    public const int TheKey = 1;

    public int Id { get; set; }

    /// <summary>The key as Data Protection protected it, in Base64.</summary>
    public string ProtectedKey { get; set; } = "";
}

/// <summary>The look-up key in the PostgreSQL store: made by the first instance that needs it, read by all the others.</summary>
internal sealed class LookupKeyInDatabase(IServiceProvider services) : LookupKeyStore
{
    public override byte[] LoadOrCreate(IDataProtector protector)
    {
        using var db = services.GetRequiredService<IDbContextFactory<PostgresLoanHubDbContext>>().CreateDbContext();
        if (Read(db) is { } stored) return protector.Unprotect(stored);
        var made = Convert.ToBase64String(protector.Protect(NewKey()));
        // Two instances starting together each make one: the first row stays, and both read it back.
        db.Database.ExecuteSqlRaw("INSERT INTO \"LookupKeys\" (\"Id\", \"ProtectedKey\") VALUES ({0}, {1}) ON CONFLICT (\"Id\") DO NOTHING",
            StoredLookupKey.TheKey, made);
        return protector.Unprotect(Read(db)!);
    }

    /// <summary>Whether the store holds a look-up key.</summary>
    public static Task<bool> ExistsAsync(PostgresLoanHubDbContext db, CancellationToken cancellationToken) =>
        db.LookupKeys.AnyAsync(k => k.Id == StoredLookupKey.TheKey, cancellationToken);

    private static byte[]? Read(PostgresLoanHubDbContext db) =>
        db.LookupKeys.AsNoTracking().Where(k => k.Id == StoredLookupKey.TheKey).Select(k => k.ProtectedKey).SingleOrDefault() is { } text
            ? Convert.FromBase64String(text)
            : null;
}
