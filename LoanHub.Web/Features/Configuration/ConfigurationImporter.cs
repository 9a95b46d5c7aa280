using System.Text.Json;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Delivery;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Intake;
using LoanHub.Web.Features.Routing;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Configuration;

/// <summary>
/// Applies a <see cref="ConfigurationDocument"/> to the store by code: creates what is missing,
/// updates what differs and leaves the rest untouched, so applying the same file twice changes nothing.
/// API keys and delivery secrets are the exception: the file's apply to the entries it creates and, for an existing
/// one, only where the entry asks (<c>replaceApiKey</c>, <c>replaceSecret</c>); the seed file is applied at every
/// start and must not bring back a key rotated after a leak. Everything it changes is audited (a key or secret
/// change as a rotation, never the value) and committed in one transaction, or nothing is. The routing strategy and the
/// products' weights, priorities, caps and budgets go through <see cref="RoutingPolicyService"/> as one new, simulated
/// policy version in the same transaction, or none when they are as the active version has them.
/// </summary>
public sealed class ConfigurationImporter(
    IDbContextFactory<LoanHubDbContext> contexts,
    RoutingPolicyService policies,
    EngineHost engine,
    SourceKeys sourceKeys,
    DeliveryOptions deliveryOptions,
    TimeProvider clock)
{
    /// <summary>Applies the document with a comment naming who applied it, for callers that have no better one.</summary>
    public Task<ImportSummary> ApplyAsync(ConfigurationDocument document, string actor, CancellationToken cancellationToken = default) =>
        ApplyAsync(document, actor, $"Configuration applied by {actor}", cancellationToken);

    /// <summary>
    /// Applies the document; when it changes the routing policy the change is simulated and saved as a new version with
    /// <paramref name="comment"/>. The engine and the intake key cache reload once it is committed.
    /// </summary>
    public async Task<ImportSummary> ApplyAsync(ConfigurationDocument document, string actor, string comment, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var summary = await StageAsync(db, document, actor, comment, simulate: true, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (summary.ChangedAnything)
        {
            engine.CatalogChanged();
            sourceKeys.Forget();
        }
        return summary;
    }

    /// <summary>
    /// What <see cref="ApplyAsync(ConfigurationDocument, string, string, CancellationToken)"/> would change, entry by entry, without
    /// storing anything: the document is staged in a context that is thrown away, and the audit entries it would write are the
    /// list of changes. The routing change is listed but not simulated: applying it runs the simulation.
    /// </summary>
    public async Task<ImportPreview> PreviewAsync(ConfigurationDocument document, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var summary = await StageAsync(db, document, actor, "preview", simulate: false, cancellationToken);
        var changes = db.ChangeTracker.Entries<AuditEntry>()
            .Where(e => e.State == EntityState.Added)
            .Select(e => new PlannedChange(e.Entity.Action, e.Entity.EntityType, e.Entity.EntityId))
            .ToList();
        return new ImportPreview(summary, changes);
    }

    private async Task<ImportSummary> StageAsync(LoanHubDbContext db, ConfigurationDocument document, string actor, string comment, bool simulate,
        CancellationToken cancellationToken)
    {
        var audit = new AuditTrail(db, actor, clock.GetUtcNow());
        var summary = new ImportSummary();

        var sources = await db.Sources.ToDictionaryAsync(s => s.Code, StringComparer.OrdinalIgnoreCase, cancellationToken);
        foreach (var doc in document.Sources)
        {
            Within($"source {doc.Code}", () => ApplySource(db, sources, doc, audit, summary));
        }

        var lenders = await db.Lenders.Include(l => l.Products).ToDictionaryAsync(l => l.Code, StringComparer.OrdinalIgnoreCase, cancellationToken);
        var routing = new Dictionary<string, ProductLimits>(StringComparer.OrdinalIgnoreCase);
        foreach (var doc in document.Lenders)
        {
            Within($"lender {doc.Code}", () => ApplyLender(db, lenders, doc, audit, summary, deliveryOptions.AllowPrivateEndpoints, routing));
        }

        // The strategy and the products' weights, priorities, caps and budgets are the routing policy's: one new version for all of them.
        var policy = await policies.StageImportAsync(db, document.Routing?.Strategy, p => routing.GetValueOrDefault(p.Code), comment, actor, simulate,
            cancellationToken);
        if (policy is not null) summary.PolicyVersion = policy.Version;
        return summary;
    }

    private static void ApplySource(LoanHubDbContext db, Dictionary<string, TrafficSource> sources, SourceDocument doc, AuditTrail audit, ImportSummary summary)
    {
        if (!sources.TryGetValue(doc.Code, out var source))
        {
            source = new TrafficSource(doc.Code, doc.Name, ApiKeys.Hash(RequiredKey(doc.ApiKey, NewEntryNeedsKey)));
            db.Sources.Add(source);
            sources[source.Code] = source;
            audit.Record("Lenders", "Source created", nameof(TrafficSource), source.Code, after: new { source.Code, source.Name });
            summary.Created++;
            return;
        }
        if (source.Name != doc.Name.Trim())
        {
            source.Rename(doc.Name);
            audit.Record("Lenders", "Source updated", nameof(TrafficSource), source.Code, after: new { source.Code, source.Name });
            summary.Updated++;
        }
        if (doc.ReplaceApiKey == true) ReplaceApiKey(source, source.ApiKeyHash, doc.ApiKey, audit, summary);
    }

    private static void ApplyLender(LoanHubDbContext db, Dictionary<string, Lender> lenders, LenderDocument doc, AuditTrail audit, ImportSummary summary,
        bool allowPrivateEndpoints, Dictionary<string, ProductLimits> routing)
    {
        if (!lenders.TryGetValue(doc.Code, out var lender))
        {
            lender = new Lender(doc.Code, doc.Name, ApiKeys.Hash(RequiredKey(doc.ApiKey, NewEntryNeedsKey)));
            if (doc.Active == false) lender.Pause();
            db.Lenders.Add(lender);
            lenders[lender.Code] = lender;
            audit.Record("Lenders", "Lender created", nameof(Lender), lender.Code, after: new { lender.Code, lender.Name, Active = lender.IsActive });
            summary.Created++;
        }
        else
        {
            var changed = false;
            if (lender.Name != doc.Name.Trim()) { lender.Rename(doc.Name); changed = true; }
            if (doc.Active == false && lender.IsActive) { lender.Pause(); changed = true; }
            if (doc.Active == true && !lender.IsActive) { lender.Resume(); changed = true; }
            if (changed)
            {
                audit.Record("Lenders", "Lender updated", nameof(Lender), lender.Code, after: new { lender.Code, lender.Name, Active = lender.IsActive });
                summary.Updated++;
            }
            if (doc.ReplaceApiKey == true) ReplaceApiKey(lender, lender.ApiKeyHash, doc.ApiKey, audit, summary);
        }

        if (doc.Delivery is { } delivery) Within("delivery", () => ApplyDelivery(lender, delivery, audit, summary, allowPrivateEndpoints));

        foreach (var productDoc in doc.Products ?? [])
        {
            Within($"product {productDoc.Code}", () => routing[productDoc.Code.Trim()] = ApplyProduct(db, lender, productDoc, audit, summary));
        }
    }

    /// <summary>An existing entry's key, replaced by the file's because the entry says so; audited like a rotation in the console.</summary>
    private static void ReplaceApiKey<T>(T partner, string currentHash, string? apiKey, AuditTrail audit, ImportSummary summary) where T : IPartner
    {
        var hash = ApiKeys.Hash(RequiredKey(apiKey, "replaceApiKey needs an apiKey"));
        if (hash == currentHash) return;
        partner.SetApiKeyHash(hash);
        // The audit names the change, never the key or its hash.
        audit.Record("Lenders", $"{T.Kind} API key rotated", typeof(T).Name, partner.Code);
        summary.Updated++;
    }

    private static void ApplyDelivery(Lender lender, DeliveryDocument doc, AuditTrail audit, ImportSummary summary, bool allowPrivateEndpoints)
    {
        var delivery = LenderDelivery.Create(doc.PrecheckUrl, doc.PostUrl, doc.TimeoutMs, allowPrivateEndpoints);
        var firstSecret = lender.DeliverySecret is null ? doc.Secret ?? throw new DomainException("secret: is required the first time a lender's delivery is set.") : null;
        if (firstSecret is not null || lender.Delivery != delivery)
        {
            var before = lender.Delivery;
            lender.ConfigureDelivery(delivery, firstSecret);
            audit.Record("Lenders", "Lender delivery set", nameof(Lender), lender.Code, before: DeliveryAuditView.Of(before),
                after: DeliveryAuditView.Of(lender.Delivery) with { SecretSet = firstSecret is not null });
            summary.Updated++;
        }
        if (firstSecret is null && doc.ReplaceSecret == true)
        {
            var secret = doc.Secret ?? throw new DomainException("secret: is required with replaceSecret.");
            if (secret == lender.DeliverySecret) return;
            lender.ConfigureDelivery(delivery, secret);
            // As in the console: the audit names the change, never the secret.
            audit.Record("Lenders", "Lender delivery secret rotated", nameof(Lender), lender.Code);
            summary.Updated++;
        }
    }

    /// <summary>Creates or updates the product but for its routing settings, which are returned for the policy version.</summary>
    private static ProductLimits ApplyProduct(LoanHubDbContext db, Lender lender, ProductDocument doc, AuditTrail audit, ImportSummary summary)
    {
        var criteria = new EligibilityCriteria(doc.MinAmount, doc.MaxAmount, doc.MinTermMonths, doc.MaxTermMonths,
            doc.MinAge, doc.MaxAge, doc.MinScore, doc.MinMonthlyIncome, doc.Provinces ?? [], doc.Employment ?? [], doc.MaxTier,
            doc.Purposes ?? []);
        var apr = doc.Apr?.ToRange();
        var limits = new ProductLimits(doc.DailyCap, doc.MonthlyBudget, doc.Weight, doc.Priority);
        var commission = doc.Commission.ToContract();

        var product = lender.Products.FirstOrDefault(p => string.Equals(p.Code, doc.Code.Trim(), StringComparison.OrdinalIgnoreCase));
        if (product is null)
        {
            if (db.Products.Local.Any(p => string.Equals(p.Code, doc.Code.Trim(), StringComparison.OrdinalIgnoreCase)))
                throw new DomainException($"Another lender already has a product {doc.Code}.");
            product = lender.AddProduct(doc.Code, doc.Name, doc.Type, criteria, commission);
            db.Products.Add(product);
            product.DeclareApr(apr);
            if (doc.Active == false) product.Pause();
            audit.Record("Lenders", "Product created", nameof(LenderProduct), product.Code, after: ProductAuditView.Of(product));
            summary.Created++;
            return limits;
        }

        var before = ProductAuditView.Of(product);
        if (product.Name != doc.Name.Trim() || product.Type != doc.Type || product.Criteria != criteria || product.Commission != commission)
        {
            product.Update(doc.Name, doc.Type, criteria, commission);
        }
        if (product.Apr != apr) product.DeclareApr(apr);
        if (doc.Active == false && product.IsActive) product.Pause();
        if (doc.Active == true && !product.IsActive) product.Resume();
        var after = ProductAuditView.Of(product);
        if (before != after)
        {
            audit.Record("Lenders", "Product updated", nameof(LenderProduct), product.Code, before, after);
            summary.Updated++;
        }
        return limits;
    }

    private const string NewEntryNeedsKey = "A new entry needs an API key";

    private static string RequiredKey(string? apiKey, string needs) =>
        string.IsNullOrWhiteSpace(apiKey) || apiKey.Length < 16
            ? throw new DomainException($"{needs} of at least 16 characters.")
            : apiKey;

    private static void Within(string what, Action apply)
    {
        try
        {
            apply();
        }
        catch (DomainException e)
        {
            throw new ConfigurationException($"{what}: {e.Message}");
        }
    }
}

/// <summary>The audited picture of a product: everything an operator can change. Shared by the importer and the console.</summary>
internal sealed record ProductAuditView(string Code, string Name, ProductType Type, string Criteria, string Limits, string Commission, bool Active,
    string? Apr)
{
    public static ProductAuditView Of(LenderProduct p) => new(p.Code, p.Name, p.Type,
        JsonSerializer.Serialize(p.Criteria, ConfigurationDocument.JsonOptions),
        JsonSerializer.Serialize(p.Limits, ConfigurationDocument.JsonOptions),
        p.Commission.ToString(), p.IsActive, p.Apr?.ToString());
}

/// <summary>The audited picture of a lender's delivery; the secret itself is never written anywhere but its encrypted column.</summary>
internal sealed record DeliveryAuditView(string Mode, string? PrecheckUrl, string? PostUrl, int? TimeoutMs, bool SecretSet = false)
{
    public static DeliveryAuditView Of(LenderDelivery? delivery) => delivery is null
        ? new("Pull", null, null, null)
        : new("Push", delivery.PrecheckUrl, delivery.PostUrl, delivery.TimeoutMs);
}

/// <summary>One change an import would make: the audit action and the entry it names.</summary>
public sealed record PlannedChange(string Action, string EntityType, string Code);

public sealed record ImportPreview(ImportSummary Summary, IReadOnlyList<PlannedChange> Changes);

public sealed class ImportSummary
{
    public int Created { get; set; }
    public int Updated { get; set; }
    /// <summary>The routing policy version the import made; null when it left the policy as it was.</summary>
    public int? PolicyVersion { get; set; }
    public bool ChangedAnything => Created + Updated > 0 || PolicyVersion is not null;
    public override string ToString() => !ChangedAnything ? "nothing changed"
        : $"{Created} created, {Updated} updated" + (PolicyVersion is { } version ? $", routing policy version {version}" : "");
}
