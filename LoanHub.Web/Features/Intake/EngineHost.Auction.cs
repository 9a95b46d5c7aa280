using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Features.Delivery;

namespace LoanHub.Web.Features.Intake;

// The Auction strategy (ping-post): every eligible product's lender is pre-checked at once, no slot held; once all
// have answered, the best price is posted (its slot held then), and a refusal passes the lead to the next price.
public sealed partial class EngineHost
{
    private void StartAuction(Placing placing, DecisionRecord drawn, EngineState current, DateTimeOffset at, WriterUnit unit)
    {
        var placement = placing.Placement;
        placement.Auctioned = true;
        var products = current.Products.ToDictionary(p => p.ProductId);
        foreach (var eligible in drawn.Products.Where(p => p.IsEligible && products[p.ProductId].Limits.Weight > 0))
        {
            var product = products[eligible.ProductId];
            if (current.Endpoints.TryGetValue(product.LenderId, out var endpoint) && endpoint.PrecheckUrl is not null)
            {
                var attempt = new DeliveryAttempt(placement.ApplicationId, product.LenderId, product.ProductId, ++placement.Attempts,
                    withPrecheck: true, eligible.ExpectedCommission, at);
                if (turns.Shared) attempt.SendFrom(turns.Instance);
                unit.Db!.DeliveryAttempts.Add(attempt);
                placement.Pending[attempt.Id] = (attempt, product);
                if (Job(placement, attempt, product, current, precheckOnly: true) is { } job) unit.Dispatch(job);
            }
            else
            {
                // Without a pre-check a product bids what its contract is expected to earn.
                placement.Bids.Add(new AuctionBid(product, eligible.ExpectedCommission));
            }
        }
        placements[placement.ApplicationId] = placement;
        CountUnderWay(placing, current);
        if (placement.Pending.Count == 0) Award(placing, current, at, unit);
    }

    /// <summary>One lender's answer to an auction pre-check: a bid, a refusal (about the person: all its products are out) or a bid under the floor.</summary>
    private void ApplyBid(Placing placing, DeliveryAttempt attempt, (DeliveryAttempt Attempt, ProductSnapshot Product) bidder, EngineState current,
        DateTimeOffset now, WriterUnit unit)
    {
        var placement = placing.Placement;
        var product = bidder.Product;
        if (attempt.IsInFlight)
        {
            var contract = product.Commission;
            if (contract.Model != CommissionModel.Bid)
                AddBid(placement, product, attempt, attempt.Price ?? bidder.Attempt.ExpectedCommission);
            else if (attempt.Price is { } price && contract.AcceptsBid(price))
                AddBid(placement, product, attempt, price);
            else
            {
                attempt.RefuseBid(attempt.Price is { } low
                    ? FormattableString.Invariant($"Bid {low:0.00} is under the product's minimum price {contract.MinPrice:0.00}.")
                    : "No price was bid for a product sold at auction.", now);
                placement.Exclude(attempt);
            }
        }
        else placement.Exclude(attempt);

        if (placement.Pending.Count > 0) return;
        if (placement.DeadlinePassed(deadline)) End(placing, ApplicationStatus.Unmatched, UnmatchedCause.Deadline, null, now, unit);
        else Award(placing, current, now, unit);
    }

    private static void AddBid(Placement placement, ProductSnapshot product, DeliveryAttempt attempt, decimal price)
    {
        placement.Bids.Add(new AuctionBid(product, Money.Round(price)));
        placement.Prechecked[product.ProductId] = attempt;
    }

    /// <summary>Posts the best bid still standing whose product can still take the lead (cap, budget, pause); none left ends it.</summary>
    private void Award(Placing placing, EngineState current, DateTimeOffset now, WriterUnit unit)
    {
        var placement = placing.Placement;
        var today = BusinessDay.Of(now);
        var offers = current.OffersOn(today).ToDictionary(o => o.Product.ProductId);
        foreach (var bid in AuctionAllocator.Rank(placement.Bids.Where(b => placement.Allows(b.Product))))
        {
            if (!offers.TryGetValue(bid.Product.ProductId, out var offer)) continue;
            var drawn = engine.Reallocate(placement.Scored, ApplicantProfile.From(placement.Applicant), [offer], RoutingStrategy.Auction, current.RoundRobin, today);
            if (drawn.RoutedTo is not { } product)
            {
                placement.Refusals.Withdraw(bid.Product.ProductId); // capped or paused since it bid
                continue;
            }
            var standing = placement.Bids.Where(b => placement.Allows(b.Product)).ToList();
            var allocation = drawn.Allocation! with
            {
                ExpectedCommission = bid.Price,
                HowDrawn = AuctionAllocator.HowPlaced(product, bid.Price, standing),
            };
            placement.Latest = drawn with { Allocation = allocation };
            if (placement.Prechecked.TryGetValue(product.ProductId, out var attempt))
            {
                unit.Track(attempt);
                attempt.HoldAt(bid.Price);
                current.RecordAllocation(product.ProductId, today, attempt.ExpectedCommission);
                placement.Current = new InFlightAttempt(attempt, product, allocation, today);
                if (Job(placement, attempt, product, current, postOnly: true) is { } job) unit.Dispatch(job);
                return;
            }
            // A product without a pre-check: posted now (push) or taken at once (pull), as any other strategy does.
            Place(placing, placement.Latest, current, now, unit);
            return;
        }
        End(placing, ApplicationStatus.Unmatched, placement.Bids.Count == 0 && placement.Attempts == 0 ? UnmatchedCause.NoEligibleProduct : UnmatchedCause.RefusedByAll,
            null, now, unit);
    }

    // Lenders whose bids lost: their attempts end, never posted.
    private static void CloseLostBids(Placement placement, DateTimeOffset at, WriterUnit unit)
    {
        foreach (var attempt in placement.Prechecked.Values.Where(a => a.IsInFlight))
        {
            unit.Track(attempt);
            attempt.Abandon("Another lender's bid won the lead.", at);
        }
        foreach (var (attempt, _) in placement.Pending.Values.Where(p => p.Attempt.IsInFlight))
        {
            unit.Track(attempt);
            attempt.Abandon("The auction ended before this bid.", at);
        }
    }
}
