using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Core.Engine;

/// <summary>Small builders so each test states only what matters to it.</summary>
internal static class EngineFixtures
{
    public static readonly DateOnly Today = new(2025, 6, 15);

    /// <summary>10:00 China time on <see cref="Today"/>.</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 15, 10, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Salaried, 30, earning ¥8,000 with ¥1,000 of debt, asking ¥50,000 over 12 months, bureau 680, Shanghai.</summary>
    public static ApplicantProfile Applicant(
        DateOnly? birthDate = null,
        decimal monthlyIncome = 8_000m,
        decimal existingMonthlyDebt = 1_000m,
        Employment employment = Employment.Salaried,
        decimal requestedAmount = 50_000m,
        int termMonths = 12,
        string provinceCode = "31",
        int? bureauScore = 680,
        LoanPurpose purpose = LoanPurpose.Consumption) =>
        new(birthDate ?? new DateOnly(1995, 3, 1), monthlyIncome, existingMonthlyDebt, employment,
            requestedAmount, termMonths, provinceCode, bureauScore, purpose);

    public static ProductSnapshot Product(
        string code,
        int weight = 100,
        int priority = 1,
        CommissionContract? commission = null,
        EligibilityCriteria? criteria = null,
        int? dailyCap = null,
        decimal? monthlyBudget = null,
        string lender = "LENDER",
        bool productActive = true,
        bool lenderActive = true) =>
        new(ProductId.New(), LenderId.New(), lender, code, $"{lender} bank", $"{code} loan",
            criteria ?? EligibilityCriteria.Open,
            new ProductLimits(dailyCap, monthlyBudget, weight, priority),
            commission ?? CommissionContract.PerLead(20m),
            productActive, lenderActive);

    public static EligibilityCriteria Criteria(
        decimal minAmount = 500m, decimal maxAmount = 5_000_000m,
        int minTerm = 1, int maxTerm = 120,
        int minAge = 18, int maxAge = 100,
        int minScore = 0, decimal minIncome = 0m,
        string[]? provinces = null, Employment[]? employment = null,
        RiskTier maxTier = RiskTier.E, LoanPurpose[]? purposes = null) =>
        new(minAmount, maxAmount, minTerm, maxTerm, minAge, maxAge, minScore, minIncome,
            provinces ?? [], employment ?? [], maxTier, purposes ?? []);

    public static AllocationCandidate Candidate(ProductSnapshot product, decimal expectedCommission = 10m) => new(product, expectedCommission);

    /// <summary>Phone and device default to ones of the identity's own, so nothing links unless a test says so.</summary>
    public static ApplicationFingerprint Fingerprint(
        string identity,
        string? phone = null,
        string? device = null,
        string ip = "10.0.0.1",
        DateTimeOffset? at = null,
        ApplicationId? id = null) =>
        new(id ?? ApplicationId.New(), identity, phone ?? $"phone-of-{identity}", device ?? $"device-of-{identity}", ip, at ?? Now);
}
