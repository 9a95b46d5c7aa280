using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Core.Domain;

public class AllocationRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static Allocation NewAllocation(ApplicationId? applicationId = null, ProductId? productId = null, DeliveryAttempt? acceptedBy = null,
        CommissionContract? contract = null) =>
        new(applicationId ?? ApplicationId.New(), LenderId.New(), productId ?? ProductId.New(), SourceId.New(), RoutingStrategy.Priority,
            At, new DateOnly(2026, 12, 1), 10m, contract ?? CommissionContract.PerLead(10m), "[{\"c\":1}]", 42, acceptedBy);

    private static DeliveryAttempt AcceptedAttempt(ApplicationId applicationId, ProductId productId, CallResult result = CallResult.Accepted)
    {
        var attempt = new DeliveryAttempt(applicationId, LenderId.New(), productId, 1, false, 10m, At);
        attempt.RecordPost(result, 10, "REF-7", "https://l.example/continue", null, At);
        return attempt;
    }

    [Fact]
    public void A_new_allocation_is_delivered_with_what_it_was_given()
    {
        var applicationId = ApplicationId.New();
        var allocation = NewAllocation(applicationId);
        Assert.Equal(DeliveryStatus.Delivered, allocation.Status);
        Assert.Equal((applicationId, RoutingStrategy.Priority, At, new DateOnly(2026, 12, 1), 42L, "[{\"c\":1}]"),
            (allocation.ApplicationId, allocation.Strategy, allocation.AllocatedAt, allocation.BusinessDay, allocation.FeedSequence, allocation.CandidatesJson));
        Assert.Equal(CommissionContract.PerLead(10m), allocation.Commission);
        Assert.Null(allocation.DeliveryId);
        Assert.Null(allocation.LenderRef);
        Assert.Null(allocation.FundedAmount);
        Assert.Null(allocation.MinutesToApproval);
    }

    [Fact]
    public void A_push_allocation_keeps_the_accepted_attempt_reference_and_redirect()
    {
        var applicationId = ApplicationId.New();
        var productId = ProductId.New();
        var attempt = AcceptedAttempt(applicationId, productId);
        var allocation = NewAllocation(applicationId, productId, attempt);
        Assert.Equal((attempt.Id, "REF-7", "https://l.example/continue"), (allocation.DeliveryId!.Value, allocation.LenderRef, allocation.RedirectUrl));
    }

    [Fact]
    public void A_push_allocation_needs_an_attempt_the_lender_accepted_for_this_application_and_product()
    {
        var applicationId = ApplicationId.New();
        var productId = ProductId.New();
        Assert.Throws<DomainException>(() => NewAllocation(applicationId, productId, AcceptedAttempt(applicationId, productId, CallResult.Refused)));
        Assert.Throws<DomainException>(() => NewAllocation(ApplicationId.New(), productId, AcceptedAttempt(applicationId, productId)));
        Assert.Throws<DomainException>(() => NewAllocation(applicationId, ProductId.New(), AcceptedAttempt(applicationId, productId)));
    }

    [Fact]
    public void An_approval_dated_before_the_delivery_counts_zero_minutes()
    {
        var allocation = NewAllocation();
        allocation.Record(LenderOutcome.Approved, null, At.AddMinutes(-30));
        Assert.Equal((DeliveryStatus.Approved, 0), (allocation.Status, allocation.MinutesToApproval!.Value));
    }

    [Fact]
    public void Funding_is_kept_in_whole_fen_and_needs_an_amount()
    {
        var allocation = NewAllocation();
        allocation.Record(LenderOutcome.Approved, null, At);
        Assert.Throws<DomainException>(() => allocation.Record(LenderOutcome.Funded, null, At));
        Assert.Throws<DomainException>(() => allocation.Record(LenderOutcome.Funded, -1m, At));
        allocation.Record(LenderOutcome.Funded, 0.005m, At);
        Assert.Equal((DeliveryStatus.Funded, 0.01m), (allocation.Status, allocation.FundedAmount!.Value));
    }

    [Fact]
    public void A_refused_outcome_says_where_the_lead_stands()
    {
        var allocation = NewAllocation();
        allocation.Record(LenderOutcome.Declined, null, At);
        var e = Assert.Throws<DomainException>(() => allocation.Record(LenderOutcome.Funded, 5m, At));
        Assert.Equal("A lead that is Declined cannot become Funded.", e.Message);
    }

    [Fact]
    public void A_ledger_entry_copies_its_lead_and_books_what_the_contract_earns()
    {
        var allocation = NewAllocation(contract: CommissionContract.PerBid(5m));
        var entry = new CommissionEntry(allocation, CommissionEvent.Delivered, null, At, bid: 7.5m);
        Assert.Equal((allocation.Id, allocation.ApplicationId, allocation.LenderId, allocation.ProductId, allocation.SourceId),
            (entry.AllocationId, entry.ApplicationId, entry.LenderId, entry.ProductId, entry.SourceId));
        Assert.Equal((CommissionEvent.Delivered, CommissionModel.Bid, 7.5m, At, (decimal?)null), (entry.Event, entry.Model, entry.Amount, entry.OccurredAt, entry.FundedAmount));
        Assert.NotEqual(Guid.Empty, entry.Id);
    }
}

public class AprRangeRulesTests
{
    [Fact]
    public void A_single_rate_reads_as_one_percentage()
    {
        Assert.Equal("18 %", AprRange.Create(0.18m, 0.18m).ToString());
        Assert.Equal("7.25–24.5 %", AprRange.Create(0.0725m, 0.245m).ToString());
    }

    [Fact]
    public void The_24_percent_line_itself_is_not_above_it()
    {
        Assert.False(AprRange.Create(0.24m, 0.24m).AboveSupervisoryLine);
        Assert.True(AprRange.Create(0.24m, 0.2401m).AboveSupervisoryLine);
        Assert.Equal((0.08m, 0.2m), (AprRange.Create(0.08m, 0.2m).Min, AprRange.Create(0.08m, 0.2m).Max));
    }

    [Fact]
    public void A_negative_lowest_rate_is_refused() =>
        Assert.Equal("The lowest APR must be above 0.", AprRange.ProblemWith(-0.01m, 0.2m));
}

public class BlocklistEntryRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void A_new_entry_keeps_who_why_and_for_which_case()
    {
        var caseId = Guid.NewGuid();
        var entry = new BlocklistEntry(LinkKind.Phone, "phone-hash", "  Ring of five  ", "rita@test.local", At, 1, caseId);
        Assert.Equal((LinkKind.Phone, "phone-hash", "Ring of five", "rita@test.local", At, At.AddDays(1), caseId),
            (entry.Kind, entry.KeyHash, entry.Reason, entry.CreatedBy, entry.CreatedAt, entry.Until, entry.ReviewCaseId!.Value));
        Assert.False(entry.IsLifted);
        Assert.True(entry.IsActiveAt(At));
        Assert.Equal(0, entry.Stopped);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_block_needs_the_key_hash_and_a_reason(string blank)
    {
        Assert.Equal("A blocked key needs its look-up hash.",
            Assert.Throws<DomainException>(() => new BlocklistEntry(LinkKind.Device, blank, "Ring", "rita", At, 10, null)).Message);
        Assert.Equal("A block needs a reason.",
            Assert.Throws<DomainException>(() => new BlocklistEntry(LinkKind.Device, "hash", blank, "rita", At, 10, null)).Message);
        var entry = new BlocklistEntry(LinkKind.Device, "hash", "Ring", "rita", At, 10, null);
        Assert.Equal("Lifting a block needs a reason.", Assert.Throws<DomainException>(() => entry.Lift("admin", blank, At)).Message);
        Assert.Equal("A block lasts 1 to 730 days.",
            Assert.Throws<DomainException>(() => new BlocklistEntry(LinkKind.Device, "hash", "Ring", "rita", At, 0, null)).Message);
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(BlocklistEntry.MaxDays, null)]
    [InlineData(0, "A block lasts 1 to 730 days.")]
    [InlineData(731, "A block lasts 1 to 730 days.")]
    public void A_block_lasts_from_one_day_to_730(int days, string? problem) => Assert.Equal(problem, BlocklistEntry.DaysProblem(days));

    [Fact]
    public void A_reason_is_kept_to_500_characters()
    {
        var entry = new BlocklistEntry(LinkKind.Device, "hash", new string('r', 501), "rita", At, 10, null);
        Assert.Equal(new string('r', 500), entry.Reason);
        var exact = new BlocklistEntry(LinkKind.Device, "hash", new string('r', 500), "rita", At, 10, null);
        Assert.Equal(500, exact.Reason.Length);
    }

    [Fact]
    public void A_lift_keeps_who_when_and_why_and_ends_the_block_at_once()
    {
        var entry = new BlocklistEntry(LinkKind.Device, "hash", "Ring", "rita", At, 10, null);
        entry.Lift("admin@test.local", " verified ", At.AddDays(1));
        Assert.Equal(("admin@test.local", At.AddDays(1), "verified"), (entry.LiftedBy, entry.LiftedAt!.Value, entry.LiftReason));
        Assert.True(entry.IsLifted);
        Assert.False(entry.IsActiveAt(At.AddDays(1)));
        var e = Assert.Throws<DomainException>(() => entry.Lift("other", "again", At.AddDays(2)));
        Assert.Contains("admin@test.local", e.Message);
    }

    [Fact]
    public void An_entry_can_be_lifted_until_its_last_moment()
    {
        var entry = new BlocklistEntry(LinkKind.Device, "hash", "Ring", "rita", At, 1, null);
        entry.Lift("admin", "verified", At.AddDays(1).AddTicks(-1));
        Assert.True(entry.IsLifted);
    }
}

public class CatalogVersionRulesTests
{
    [Fact]
    public void The_fingerprint_is_the_lower_case_sha256_of_the_products()
    {
        var version = new CatalogVersion(DateTimeOffset.UnixEpoch, "[]");
        Assert.Equal("4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945", version.Fingerprint);
        Assert.Equal(("[]", DateTimeOffset.UnixEpoch), (version.ProductsJson, version.TakenAt));
    }
}

public class CommissionContractRulesTests
{
    [Theory]
    [InlineData(CommissionModel.CPL, "CPL ¥30.00")]
    [InlineData(CommissionModel.CPA, "CPA ¥30.00")]
    [InlineData(CommissionModel.Bid, "Bid ≥ ¥30.00")]
    public void A_contract_reads_as_its_model_and_amount(CommissionModel model, string text) =>
        Assert.Equal(text, CommissionContract.Create(model, 30m, 0m).ToString());

    [Fact]
    public void A_cps_contract_reads_as_its_rate() => Assert.Contains("CPS", CommissionContract.PerSale(0.025m).ToString());

    [Fact]
    public void A_contract_at_the_smallest_amount_is_allowed()
    {
        Assert.Equal(0.01m, CommissionContract.PerLead(0.01m).Amount);
        Assert.Equal(0.0001m, CommissionContract.PerSale(0.0001m).Rate);
    }

    [Fact]
    public void A_bid_above_the_minimum_in_whole_fen_is_accepted() => Assert.True(CommissionContract.PerBid(40m).AcceptsBid(40.01m));
}

public class PartnerRulesTests
{
    [Theory]
    [InlineData("L-1_a")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")]
    public void A_code_is_1_to_32_letters_digits_dashes_or_underscores(string code) =>
        Assert.Equal(code, new Lender(code, "Lender", "hash").Code);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456")]
    [InlineData("L 1")]
    [InlineData("L.1")]
    [InlineData("银行")]
    public void Other_codes_are_refused(string code)
    {
        var e = Assert.Throws<DomainException>(() => new TrafficSource(code, "Source", "hash"));
        Assert.Equal("The source code must be 1–32 letters, digits, '-' or '_'.", e.Message);
    }

    [Fact]
    public void Each_refusal_names_the_kind_of_code_or_name()
    {
        Assert.Equal("The lender code must be 1–32 letters, digits, '-' or '_'.", Assert.Throws<DomainException>(() => new Lender("L 1", "Bank", "hash")).Message);
        Assert.Equal("The source name must be 1–100 characters.", Assert.Throws<DomainException>(() => new TrafficSource("S1", " ", "hash")).Message);
        var lender = new Lender("L1", "Bank", "hash");
        Assert.True(lender.IsActive);
        Assert.Equal("The product code must be 1–32 letters, digits, '-' or '_'.",
            Assert.Throws<DomainException>(() => lender.AddProduct("P 1", "Cash", ProductType.CashLoan, EligibilityCriteria.Open, CommissionContract.PerLead(1m))).Message);
        Assert.Equal("The product name must be 1–100 characters.",
            Assert.Throws<DomainException>(() => lender.AddProduct("P1", "", ProductType.CashLoan, EligibilityCriteria.Open, CommissionContract.PerLead(1m))).Message);
        Assert.Empty(lender.Products);
    }

    [Fact]
    public void Codes_and_names_are_trimmed()
    {
        var lender = new Lender("  L1 ", "  Bank of Test ", "hash");
        Assert.Equal(("L1", "Bank of Test", "hash"), (lender.Code, lender.Name, lender.ApiKeyHash));
    }

    [Fact]
    public void A_name_is_1_to_100_characters()
    {
        Assert.Equal(100, new Lender("L1", new string('n', 100), "hash").Name.Length);
        var e = Assert.Throws<DomainException>(() => new Lender("L1", new string('n', 101), "hash"));
        Assert.Equal("The lender name must be 1–100 characters.", e.Message);
        Assert.Throws<DomainException>(() => new TrafficSource("S1", " ", "hash"));
        Assert.Throws<DomainException>(() => new Lender("L1", "Bank", "hash").Rename(null!));
    }

    [Fact]
    public void A_source_is_renamed_rekeyed_paused_and_resumed()
    {
        var source = new TrafficSource("S1", "Source", "hash");
        Assert.True(source.IsActive);
        Assert.Equal("Source", TrafficSource.Kind);
        source.Rename(" Renamed ");
        source.SetApiKeyHash("hash-2");
        source.Pause();
        Assert.Equal(("Renamed", "hash-2", false), (source.Name, source.ApiKeyHash, source.IsActive));
        source.Resume();
        Assert.True(source.IsActive);
    }

    [Fact]
    public void An_automatic_pause_keeps_its_reason_until_an_operator_resumes()
    {
        var lender = new Lender("L1", "Bank", "hash");
        Assert.Equal("Lender", Lender.Kind);
        lender.PauseAutomatically("  too many timeouts ");
        Assert.Equal((false, "too many timeouts"), (lender.IsActive, lender.AutoPausedReason));
        lender.PauseAutomatically(" ");
        Assert.Equal("Paused automatically.", lender.AutoPausedReason);
        lender.Resume();
        Assert.Equal((true, (string?)null), (lender.IsActive, lender.AutoPausedReason));
        lender.SetApiKeyHash("hash-2");
        lender.Pause();
        Assert.Equal(("hash-2", false), (lender.ApiKeyHash, lender.IsActive));
    }

    [Fact]
    public void A_lender_is_a_push_lender_until_its_delivery_is_removed()
    {
        var lender = new Lender("L1", "Bank", "hash");
        Assert.False(lender.IsPush);
        var delivery = LenderDelivery.Create(null, "https://l1.example/x", null, false);
        lender.ConfigureDelivery(delivery, new string('a', 32));
        lender.ConfigureDelivery(delivery, new string('b', 32));
        Assert.Equal((true, new string('b', 32)), (lender.IsPush, lender.DeliverySecret));
        Assert.Same(delivery, lender.Delivery);
        lender.RemoveDelivery();
        Assert.Equal((false, (string?)null, (LenderDelivery?)null), (lender.IsPush, lender.DeliverySecret, lender.Delivery));
    }

    [Fact]
    public void A_lender_has_each_product_code_once_whatever_its_case()
    {
        var lender = new Lender("L1", "Bank", "hash");
        var product = lender.AddProduct("Cash", "Cash loan", ProductType.CashLoan, EligibilityCriteria.Open, CommissionContract.PerLead(10m));
        var e = Assert.Throws<DomainException>(() => lender.AddProduct(" cash ", "Again", ProductType.CashLoan, EligibilityCriteria.Open, CommissionContract.PerLead(10m)));
        Assert.StartsWith("Lender L1 already has a product", e.Message);
        lender.AddProduct("Card", "Card", ProductType.CreditCard, EligibilityCriteria.Open, CommissionContract.PerLead(10m));
        Assert.Equal(2, lender.Products.Count);
        Assert.Same(product, lender.Products[0]);
        Assert.Equal((lender.Id, "Cash", "Cash loan", ProductType.CashLoan), (product.LenderId, product.Code, product.Name, product.Type));
    }
}

public class LenderProductRulesTests
{
    private static LenderProduct NewProduct() =>
        new Lender("L1", "Bank", "hash").AddProduct("P1", "Cash", ProductType.CashLoan, EligibilityCriteria.Open, CommissionContract.PerLead(10m));

    [Fact]
    public void A_new_product_is_active_and_drained_until_a_policy_weights_it()
    {
        var product = NewProduct();
        Assert.True(product.IsActive);
        Assert.Same(ProductLimits.Drained, product.Limits);
        Assert.Equal((0, 1, (int?)null, (decimal?)null), (product.Limits.Weight, product.Limits.Priority, product.Limits.DailyCap, product.Limits.MonthlyBudget));
        Assert.Null(product.Apr);
    }

    [Fact]
    public void An_update_changes_what_the_product_is_and_accepts()
    {
        var product = NewProduct();
        var criteria = new EligibilityCriteria(1_000m, 2_000m, 3, 6, 20, 50, 100, 10m, ["11"], [Employment.Salaried], RiskTier.B);
        product.Update(" Card ", ProductType.CreditCard, criteria, CommissionContract.PerApproval(99m));
        Assert.Equal(("Card", ProductType.CreditCard, criteria, CommissionContract.PerApproval(99m)), (product.Name, product.Type, product.Criteria, product.Commission));
        Assert.Throws<DomainException>(() => product.Update("", ProductType.CreditCard, criteria, CommissionContract.PerApproval(99m)));
    }

    [Fact]
    public void A_product_declares_and_withdraws_its_apr_and_is_paused_and_resumed()
    {
        var product = NewProduct();
        product.DeclareApr(AprRange.Create(0.1m, 0.2m));
        Assert.Equal(AprRange.Create(0.1m, 0.2m), product.Apr);
        product.DeclareApr(null);
        Assert.Null(product.Apr);
        product.Pause();
        Assert.False(product.IsActive);
        product.Resume();
        Assert.True(product.IsActive);
    }

    [Fact]
    public void A_product_follows_the_policy_that_names_it_by_id_or_by_its_old_code()
    {
        var product = NewProduct();
        var byId = new RoutingPolicy(1, RoutingStrategy.Weighted, [new PolicyProductSetting(product.Id.Value, "renamed", 7, 2, 30, 500m)], "weights", "ops", DateTimeOffset.UnixEpoch);
        product.Follow(byId);
        Assert.Equal(new ProductLimits(30, 500m, 7, 2), product.Limits);
        var byCode = new RoutingPolicy(2, RoutingStrategy.Weighted, [new PolicyProductSetting(Guid.Empty, "p1", 3, 4, null, null)], "old", "ops", DateTimeOffset.UnixEpoch);
        product.Follow(byCode);
        Assert.Equal(new ProductLimits(null, null, 3, 4), product.Limits);
        var other = new RoutingPolicy(3, RoutingStrategy.Weighted, [new PolicyProductSetting(Guid.NewGuid(), "P1", 9, 9, null, null)], "other", "ops", DateTimeOffset.UnixEpoch);
        product.Follow(other);
        Assert.Equal(new ProductLimits(null, null, 3, 4), product.Limits);
    }

    [Theory]
    [InlineData(-1, null, 1, 1)]
    [InlineData(null, -0.01, 1, 1)]
    [InlineData(null, 1.005, 1, 1)]
    [InlineData(null, null, -1, 1)]
    [InlineData(null, null, 10_001, 1)]
    [InlineData(null, null, 1, -1)]
    [InlineData(null, null, 1, 1_001)]
    public void Limits_outside_their_ranges_are_refused(int? cap, double? budget, int weight, int priority) =>
        Assert.Throws<DomainException>(() => new ProductLimits(cap, (decimal?)budget, weight, priority));

    [Fact]
    public void Limits_at_their_bounds_are_allowed()
    {
        var low = new ProductLimits(0, 0m, 0, 0);
        var high = new ProductLimits(int.MaxValue, 1.25m, 10_000, 1_000);
        Assert.Equal((0, 0m, 0, 0), (low.DailyCap!.Value, low.MonthlyBudget!.Value, low.Weight, low.Priority));
        Assert.Equal((int.MaxValue, 1.25m, 10_000, 1_000), (high.DailyCap!.Value, high.MonthlyBudget!.Value, high.Weight, high.Priority));
        Assert.Equal(new ProductLimits(null, null, 1, 1), ProductLimits.Unlimited);
    }
}

public class RoutingPolicyRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_version_starts_at_one_and_needs_a_comment()
    {
        Assert.Throws<DomainException>(() => new RoutingPolicy(0, RoutingStrategy.Weighted, [], "why", "ops", At));
        Assert.Throws<DomainException>(() => new RoutingPolicy(1, RoutingStrategy.Weighted, [], "  ", "ops", At));
        Assert.Equal(1, new RoutingPolicy(1, RoutingStrategy.Weighted, [], "why", "ops", At).Version);
    }

    [Fact]
    public void A_version_keeps_its_settings_in_code_order_and_its_history()
    {
        var b = new PolicyProductSetting(Guid.NewGuid(), "b", 2, 1, null, null);
        var a = new PolicyProductSetting(Guid.NewGuid(), "a", 1, 1, 5, 100m);
        var policy = new RoutingPolicy(3, RoutingStrategy.ExpectedValue, [b, a], "  rebalance ", "ops@test", At, 2, 1, "{\"s\":1}");
        Assert.Equal(new[] { a, b }, policy.Products);
        Assert.Equal((3, RoutingStrategy.ExpectedValue, "rebalance", "ops@test", At, 2, 1, "{\"s\":1}", true),
            (policy.Version, policy.Strategy, policy.Comment, policy.CreatedBy, policy.CreatedAt, policy.BasedOnVersion!.Value, policy.RestoredFromVersion!.Value, policy.SimulationJson, policy.IsActive));
        Assert.Contains("\"productCode\":\"a\"", policy.ProductSettingsJson);
        policy.Retire();
        Assert.False(policy.IsActive);
    }

    [Fact]
    public void A_setting_is_read_from_a_product_limits_and_back()
    {
        var id = ProductId.New();
        var setting = PolicyProductSetting.Of(id, "P1", new ProductLimits(10, 250m, 5, 3));
        Assert.Equal(new PolicyProductSetting(id.Value, "P1", 5, 3, 10, 250m), setting);
        Assert.Equal(new ProductLimits(10, 250m, 5, 3), setting.Limits);
    }

    [Fact]
    public void A_product_the_version_does_not_name_keeps_its_own_limits()
    {
        var policy = new RoutingPolicy(1, RoutingStrategy.Weighted, [new PolicyProductSetting(Guid.NewGuid(), "A", 1, 1, null, null)], "why", "ops", At);
        var own = new ProductLimits(1, null, 50, 2);
        Assert.Same(own, policy.LimitsOf(ProductId.New(), "A", own));
        Assert.Null(policy.SettingOf(ProductId.New(), "B"));
    }
}
