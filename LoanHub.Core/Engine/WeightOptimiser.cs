using LoanHub.Core.Domain;

namespace LoanHub.Core.Engine;

/// <summary>What a weight suggestion maximises.</summary>
public enum SuggestionObjective
{
    /// <summary>Expected commission.</summary>
    Commission,
    /// <summary>Expected approvals (borrowers served); among equal counts, approvals at the lower declared APR.</summary>
    Approvals,
}

/// <summary>One product as the optimiser weighs it: who it is, what it pays, today's weight and its limits.</summary>
/// <param name="Active">Lender and product both active: only then may it take leads.</param>
/// <param name="Apr">The annual rate range it declares, if any: the approvals objective prefers the lower rate among equals.</param>
public sealed record SuggestionProduct(
    ProductId ProductId,
    string LenderCode,
    string ProductCode,
    CommissionContract Commission,
    int Weight,
    int? DailyCap,
    decimal? MonthlyBudget,
    AprRange? Apr,
    bool Active);

/// <summary>
/// The applicants of one risk tier whose criteria let in the same set of products, over the window the mix is taken
/// from: how many there were and the amount they asked for in all (a CPS product earns on the amount).
/// </summary>
public sealed record ApplicantGroup(RiskTier Tier, IReadOnlyList<ProductId> Eligible, int Applicants, decimal RequestedAmount);

/// <param name="WindowDays">How many days the groups' applicants arrived over: flows per day are counts / days.</param>
/// <param name="MinimumShare">The least share of each eligible set's weight every tuned product keeps (0.05 = 5 %).</param>
public sealed record SuggestionInput(
    IReadOnlyList<SuggestionProduct> Products,
    IReadOnlyList<ApplicantGroup> Groups,
    int WindowDays,
    LearnedRates Rates,
    double MinimumShare);

/// <summary>What the model expects one product to take per day: leads its lender accepts, and the commission they reserve.</summary>
public sealed record ProductLoad(ProductId ProductId, double LeadsPerDay, double CommissionPerDay);

/// <summary>What the model expects of a set of weights over the window: commission (CNY) and approvals.</summary>
public sealed record WeightForecast(decimal Commission, double Approvals, IReadOnlyList<ProductLoad> Products)
{
    /// <summary>The figure <paramref name="objective"/> maximises.</summary>
    public double Of(SuggestionObjective objective) => objective == SuggestionObjective.Commission ? (double)Commission : Approvals;
}

/// <summary>One product's weight today and as suggested.</summary>
public sealed record SuggestedWeight(ProductId ProductId, string LenderCode, string ProductCode, int Current, int Suggested);

/// <param name="Differs">
/// False when the search found no weights the model prefers to today's: <see cref="Weights"/> then suggest today's. True
/// when they are better, or when today's weights break the minimum share (see <see cref="WeightOptimiser"/>).
/// </param>
public sealed record WeightSuggestion(
    SuggestionObjective Objective,
    IReadOnlyList<SuggestedWeight> Weights,
    WeightForecast Current,
    WeightForecast Suggested,
    bool Differs);

/// <summary>
/// Proposes per-product weights for the Weighted strategy that maximise expected commission or expected approvals, from
/// the learned rates, the recent mix of applicants and each product's contract, daily cap and monthly budget.
/// </summary>
/// <remarks>
/// <para>The model, and what it assumes:</para>
/// <list type="bullet">
/// <item><b>Shares.</b> An applicant of a group goes to each eligible product with weight <c>w</c> with probability
/// <c>w / W</c>, <c>W</c> the group's total weight: the share smooth weighted round-robin gives a set of eligible products
/// over many leads. Traffic is a steady flow: each group sends its window's applicants per day, every day.</item>
/// <item><b>Delivery.</b> The product's lender takes a lead with its learned acceptance; a refused lead earns nothing and
/// is not passed on (production falls through to the next product; the what-if shows that, so the model errs low alike
/// for today's weights and the suggestion).</item>
/// <item><b>Value.</b> A taken lead earns <see cref="ProductTierRates.ExpectedCommission"/> for its tier at the group's
/// mean amount and is approved with the learned approval rate of its product and tier.</item>
/// <item><b>Caps and budgets.</b> Taken leads count toward the daily cap; their expected commission toward the monthly
/// budget, spread evenly over a month of <see cref="DaysPerMonth"/> days (commission already committed this month is not
/// counted). Within a day the flows fill products in proportion; when one fills, it closes and its share of the rest of
/// the day goes to the other open products of each group, as the engine does when a cap is reached. A group with no open
/// product left loses the rest of its applicants. So the model's flows never exceed a cap or a budget.</item>
/// <item><b>Who is tuned.</b> Active products with a positive weight today. A weight of 0 is an operator's drain and is
/// kept; a paused product keeps its weight. A tuned product no applicant of the window could take is not weighed (there
/// is nothing to weigh it on) but is scaled with the others, so it keeps its place beside them for tomorrow's applicants.</item>
/// <item><b>Minimum share.</b> In every eligible set of the window each tuned product keeps at least
/// <see cref="SuggestionInput.MinimumShare"/> of the set's weight (of <c>1 / n</c> when a set has <c>n</c> products and
/// <c>n ·</c> share exceeds 1), so it gets at least that share of every applicant it may take: no lender is starved.</item>
/// </list>
/// <para>The search is a deterministic local search over integer weights (1 to 10,000) from today's weights and from equal
/// weights. The suggestion is never worse than today's weights on its objective under this model: when the search finds
/// nothing better, today's weights are the suggestion. Only when today's weights themselves break the minimum share is
/// the best weights that keep it the suggestion, whatever it expects.</para>
/// </remarks>
public static class WeightOptimiser
{
    public const int DaysPerMonth = 30;
    public const int MaxWeight = 10_000;
    private const int StartScale = 1_000;
    private const int MaxPassesPerStep = 60;

    public static WeightSuggestion Suggest(SuggestionInput input, SuggestionObjective objective)
    {
        var model = Model.Of(input, objective);
        var current = model.CurrentWeights();
        int[]? best = null;
        Score? bestScore = null;
        foreach (var start in new[] { model.Project(model.Scaled(current)), model.Equal() })
        {
            var climbed = model.Climb(start);
            var score = model.Evaluate(climbed);
            if (bestScore is null || score.IsBetterThan(bestScore)) (best, bestScore) = (climbed, score);
        }
        // Today's weights stand unless the search beat them, or unless they starve a product below its minimum share. Beaten
        // means on the figures reported too: moves the tie-break took among equals may have given up a hair of the objective.
        var found = model.Reduced(best!);
        var differs = !model.KeepsMinimumShares(current)
            || (bestScore!.IsBetterThan(model.Evaluate(current)) && model.Forecast(found).Of(objective) >= model.Forecast(current).Of(objective));
        var suggested = differs ? found : current;

        var weights = model.Products.Select((p, i) => new SuggestedWeight(p.ProductId, p.LenderCode, p.ProductCode, p.Weight, suggested[i])).ToList();
        return new WeightSuggestion(objective, weights, model.Forecast(current), model.Forecast(suggested), differs);
    }

    /// <summary>What the model expects of <paramref name="weights"/> (products missing from it keep today's weight).</summary>
    public static WeightForecast Forecast(SuggestionInput input, IReadOnlyDictionary<ProductId, int> weights)
    {
        var model = Model.Of(input, SuggestionObjective.Commission);
        return model.Forecast([.. model.Products.Select(p => weights.TryGetValue(p.ProductId, out var w) ? w : p.Weight)]);
    }

    /// <summary>The least share of its set's weight a product keeps in an eligible set of <paramref name="setSize"/> tuned products.</summary>
    public static double MinimumShareIn(int setSize, double minimumShare) =>
        setSize == 0 ? 0d : Math.Min(Math.Clamp(minimumShare, 0d, 1d), 1d / setSize);

    /// <summary>A candidate's figures: the objective, and the tie-break among equals (lower is better).</summary>
    private sealed record Score(double Primary, double TieBreak)
    {
        public bool IsBetterThan(Score other)
        {
            var tolerance = 1e-9 * Math.Max(1d, Math.Abs(other.Primary));
            if (Primary > other.Primary + tolerance) return true;
            if (Primary < other.Primary - tolerance) return false;
            return TieBreak < other.TieBreak - 1e-9 * Math.Max(1d, Math.Abs(other.TieBreak));
        }
    }

    /// <summary>One group with its eligible tuned products as indices, and per product what one offered lead is worth.</summary>
    private sealed record Group(int[] Members, double PerDay, double[] Taken, double[] Commission, double[] Approvals, double[] TieBreak);

    private sealed class Model
    {
        private readonly SuggestionObjective objective;
        private readonly Group[] groups;
        private readonly bool[] tuned;
        private readonly bool[] weighed;
        private readonly double[] capPerDay;
        private readonly double[] budgetPerDay;
        private readonly double minimumShare;
        private readonly int days;

        private Model(SuggestionObjective objective, SuggestionProduct[] products, Group[] groups, bool[] tuned, bool[] weighed, double[] capPerDay,
            double[] budgetPerDay, double minimumShare, int days)
        {
            this.objective = objective;
            Products = products;
            this.groups = groups;
            this.tuned = tuned;
            this.weighed = weighed;
            this.capPerDay = capPerDay;
            this.budgetPerDay = budgetPerDay;
            this.minimumShare = minimumShare;
            this.days = days;
        }

        public SuggestionProduct[] Products { get; }

        public static Model Of(SuggestionInput input, SuggestionObjective objective)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(input.WindowDays, 1);
            var products = input.Products
                .OrderBy(p => p.LenderCode, StringComparer.Ordinal).ThenBy(p => p.ProductCode, StringComparer.Ordinal).ThenBy(p => p.ProductId.Value)
                .DistinctBy(p => p.ProductId).ToArray();
            var index = products.Select((p, i) => (p.ProductId, i)).ToDictionary(x => x.ProductId, x => x.i);
            var eligibleSomewhere = new bool[products.Length];
            var declared = products.Where(p => p.Apr is not null).Select(p => Midpoint(p.Apr!)).ToArray();
            // An undeclared rate counts as the average declared one: neither preferred nor held back.
            var unknownApr = declared.Length == 0 ? 0d : declared.Average();

            var groups = new List<Group>();
            foreach (var g in input.Groups
                         .Where(g => g.Applicants > 0)
                         .Select(g => (g.Tier, Members: g.Eligible.Where(index.ContainsKey).Select(id => index[id]).Where(i => products[i].Active && products[i].Weight > 0)
                             .Distinct().Order().ToArray(), g.Applicants, g.RequestedAmount))
                         .GroupBy(g => (g.Tier, Key: string.Join(',', g.Members)))
                         .OrderBy(g => g.Key.Tier).ThenBy(g => g.Key.Key, StringComparer.Ordinal))
            {
                var members = g.First().Members;
                if (members.Length == 0) continue;
                var applicants = g.Sum(x => x.Applicants);
                var meanAmount = g.Sum(x => x.RequestedAmount) / applicants;
                var taken = new double[members.Length];
                var commission = new double[members.Length];
                var approvals = new double[members.Length];
                var tieBreak = new double[members.Length];
                for (var k = 0; k < members.Length; k++)
                {
                    var product = products[members[k]];
                    eligibleSomewhere[members[k]] = true;
                    var rates = input.Rates.For(product.ProductId, g.Key.Tier);
                    taken[k] = rates.Acceptance.Value;
                    commission[k] = taken[k] * (double)rates.ExpectedCommission(product.Commission, Money.Round(meanAmount));
                    approvals[k] = taken[k] * rates.Approval.Value;
                    tieBreak[k] = objective == SuggestionObjective.Approvals ? approvals[k] * (product.Apr is { } apr ? Midpoint(apr) : unknownApr) : 0d;
                }
                groups.Add(new Group(members, (double)applicants / input.WindowDays, taken, commission, approvals, tieBreak));
            }
            var tuned = products.Select(p => p.Active && p.Weight > 0).ToArray();
            var weighed = tuned.Select((t, i) => t && eligibleSomewhere[i]).ToArray();
            var caps = products.Select(p => p.DailyCap is { } cap ? (double)cap : double.PositiveInfinity).ToArray();
            var budgets = products.Select(p => p.MonthlyBudget is { } budget ? (double)budget / DaysPerMonth : double.PositiveInfinity).ToArray();
            return new Model(objective, products, [.. groups], tuned, weighed, caps, budgets, Math.Clamp(input.MinimumShare, 0d, 1d), input.WindowDays);
        }

        private static double Midpoint(AprRange apr) => (double)(apr.Min + apr.Max) / 2d;

        public int[] CurrentWeights() => [.. Products.Select(p => p.Weight)];

        /// <summary>Today's weights with the tuned ones scaled up, so small weights (10, 25) leave room for fine steps.</summary>
        public int[] Scaled(int[] weights)
        {
            var max = Enumerable.Range(0, weights.Length).Where(i => tuned[i]).Select(i => weights[i]).DefaultIfEmpty(1).Max();
            var factor = Math.Max(1, StartScale / Math.Max(1, max));
            return [.. weights.Select((w, i) => tuned[i] ? Math.Min(MaxWeight, w * factor) : w)];
        }

        /// <summary>Equal weights for the weighed products; the others as <see cref="Scaled"/> has them.</summary>
        public int[] Equal()
        {
            var scaled = Scaled(CurrentWeights());
            return [.. scaled.Select((w, i) => weighed[i] ? StartScale : w)];
        }

        /// <summary>
        /// The nearest weights toward equal that keep the minimum shares: the constraints are linear in the weights and equal
        /// weights keep them, so every mix from <paramref name="weights"/> toward equal past some point keeps them too.
        /// </summary>
        public int[] Project(int[] weights)
        {
            if (KeepsMinimumShares(weights)) return weights;
            var equal = Equal();
            for (var step = 1; step <= 64; step++)
            {
                var lambda = step / 64d;
                int[] mixed = [.. weights.Select((w, i) => tuned[i] ? (int)Math.Round((1 - lambda) * w + lambda * equal[i]) : w)];
                if (KeepsMinimumShares(mixed)) return mixed;
            }
            return equal;
        }

        public bool KeepsMinimumShares(int[] weights)
        {
            foreach (var group in groups)
            {
                var least = MinimumShareIn(group.Members.Length, minimumShare);
                double total = 0d, smallest = double.PositiveInfinity;
                foreach (var i in group.Members)
                {
                    total += weights[i];
                    smallest = Math.Min(smallest, weights[i]);
                }
                if (total <= 0d || smallest < least * total - 1e-9) return false;
            }
            return true;
        }

        /// <summary>Moves one tuned weight at a time by a step, halving the step when no move helps; keeps only strict improvements.</summary>
        public int[] Climb(int[] start)
        {
            var weights = (int[])start.Clone();
            var score = Evaluate(weights);
            var floor = minimumShare > 0d ? 1 : 0;
            for (var step = 512; step >= 1; step /= 2)
            {
                for (var pass = 0; pass < MaxPassesPerStep; pass++)
                {
                    var moved = false;
                    for (var i = 0; i < weights.Length; i++)
                    {
                        if (!weighed[i]) continue;
                        foreach (var direction in (ReadOnlySpan<int>)[1, -1])
                        {
                            var before = weights[i];
                            var after = Math.Clamp(before + direction * step, floor, MaxWeight);
                            if (after == before) continue;
                            weights[i] = after;
                            if (KeepsMinimumShares(weights) && Evaluate(weights) is var candidate && candidate.IsBetterThan(score))
                            {
                                score = candidate;
                                moved = true;
                                break;
                            }
                            weights[i] = before;
                        }
                    }
                    if (!moved) break;
                }
            }
            return weights;
        }

        /// <summary>The suggestion in its smallest terms: the same shares with the tuned weights divided by their common divisor.</summary>
        public int[] Reduced(int[] weights)
        {
            var divisor = Enumerable.Range(0, weights.Length).Where(i => tuned[i]).Select(i => weights[i]).Aggregate(0, Gcd);
            return divisor <= 1 ? weights : [.. weights.Select((w, i) => tuned[i] ? w / divisor : w)];
        }

        private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

        public Score Evaluate(int[] weights)
        {
            var flows = Flow(weights);
            return new Score(objective == SuggestionObjective.Commission ? flows.Commission : flows.Approvals, flows.TieBreak);
        }

        public WeightForecast Forecast(int[] weights)
        {
            var flows = Flow(weights);
            return new WeightForecast(Money.Round((decimal)(flows.Commission * days)), Math.Round(flows.Approvals * days, 2),
                [.. Products.Select((p, i) => new ProductLoad(p.ProductId, flows.Leads[i], flows.Spend[i]))]);
        }

        private sealed record Flows(double Commission, double Approvals, double TieBreak, double[] Leads, double[] Spend);

        /// <summary>
        /// One day of the steady flow: every group's applicants shared by weight among its open products, until the first
        /// product fills its cap or budget; that one closes and the rest of the day is shared among the others, and so on.
        /// </summary>
        private Flows Flow(int[] weights)
        {
            var n = Products.Length;
            var open = new bool[n];
            for (var i = 0; i < n; i++) open[i] = weights[i] > 0 && capPerDay[i] > 0d && budgetPerDay[i] > 0d;
            var leads = new double[n];
            var spend = new double[n];
            var remaining = groups.Select(g => g.PerDay).ToArray();
            var leadRate = new double[n];
            var spendRate = new double[n];
            double commission = 0d, approvals = 0d, tieBreak = 0d;

            for (var round = 0; round <= n; round++)
            {
                Array.Clear(leadRate);
                Array.Clear(spendRate);
                var any = false;
                for (var g = 0; g < groups.Length; g++)
                {
                    var total = OpenWeight(groups[g], weights, open);
                    if (total == 0d || remaining[g] <= 0d) continue;
                    any = true;
                    var group = groups[g];
                    for (var k = 0; k < group.Members.Length; k++)
                    {
                        var i = group.Members[k];
                        if (!open[i]) continue;
                        var offered = remaining[g] * weights[i] / total;
                        leadRate[i] += offered * group.Taken[k];
                        spendRate[i] += offered * group.Commission[k];
                    }
                }
                if (!any) break;

                // The share of the rest of the day that passes before the first open product fills.
                var until = 1d;
                var closing = -1;
                for (var i = 0; i < n; i++)
                {
                    if (!open[i]) continue;
                    if (leadRate[i] > 0d && (capPerDay[i] - leads[i]) / leadRate[i] is var byCap && byCap < until) (until, closing) = (Math.Max(0d, byCap), i);
                    if (spendRate[i] > 0d && (budgetPerDay[i] - spend[i]) / spendRate[i] is var byBudget && byBudget < until) (until, closing) = (Math.Max(0d, byBudget), i);
                }

                for (var g = 0; g < groups.Length; g++)
                {
                    var total = OpenWeight(groups[g], weights, open);
                    if (total == 0d || remaining[g] <= 0d) continue;
                    var group = groups[g];
                    for (var k = 0; k < group.Members.Length; k++)
                    {
                        var i = group.Members[k];
                        if (!open[i]) continue;
                        var offered = until * remaining[g] * weights[i] / total;
                        leads[i] += offered * group.Taken[k];
                        spend[i] += offered * group.Commission[k];
                        commission += offered * group.Commission[k];
                        approvals += offered * group.Approvals[k];
                        tieBreak += offered * group.TieBreak[k];
                    }
                    remaining[g] *= 1d - until;
                }
                if (closing < 0) break;
                open[closing] = false;
            }
            return new Flows(commission, approvals, tieBreak, leads, spend);
        }

        private static double OpenWeight(Group group, int[] weights, bool[] open)
        {
            var total = 0d;
            foreach (var i in group.Members)
                if (open[i]) total += weights[i];
            return total;
        }
    }
}
