using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Data;

/// <summary>
/// The store's model on PostgreSQL, as a type of its own only so that EF Core keeps PostgreSQL's migrations
/// (<c>Data/Migrations/Postgres</c>, marked <c>[DbContext(typeof(PostgresLoanHubDbContext))]</c>) apart from SQLite's,
/// which belong to <see cref="LoanHubDbContext"/>. It applies them at start and at design time; the application's
/// code uses <see cref="LoanHubDbContext"/> on both providers.
/// </summary>
public sealed class PostgresLoanHubDbContext(DbContextOptions<PostgresLoanHubDbContext> options, PersonalData personalData)
    : LoanHubDbContext(options, personalData);
