namespace LoanHub.Core.Domain;

public enum Employment { Salaried, SelfEmployed, BusinessOwner, Student, Retired, Unemployed }

/// <summary>What the applicant wants the money for; new values go at the end (stored and posted by name).</summary>
public enum LoanPurpose { Consumption, Education, Medical, Travel, Business, Renovation, Other, CarPurchase }

public enum ProductType { CashLoan, Installment, CreditCard, CarLoan, BusinessLoan, Mortgage }

/// <summary>Risk tier from the scorecard; A is the best. Ordered so that <c>tier &lt;= maxTier</c> reads naturally.</summary>
public enum RiskTier { A, B, C, D, E }

public enum Gender { Female, Male }

public enum ApplicationStatus { Received, Routed, InReview, Rejected, Duplicate, Unmatched }

public enum RoutingStrategy
{
    Weighted,
    Priority,
    ExpectedValue,
    /// <summary>Ping-post: every eligible lender is pre-checked at once and the highest accepted price is posted first.</summary>
    Auction,
}

public enum DeliveryStatus { Delivered, Approved, Declined, Funded }

public enum LenderOutcome { Approved, Declined, Funded }

public enum ReviewStatus { Open, Claimed, Approved, Rejected }

public enum CommissionEvent { Delivered, Approved, Funded }

/// <summary>Why a routed application found no taker.</summary>
public enum UnmatchedCause
{
    /// <summary>No product's criteria, caps or budget let it in.</summary>
    NoEligibleProduct,
    /// <summary>Every eligible product's lender refused it, failed or timed out.</summary>
    RefusedByAll,
    /// <summary>The delivery deadline passed before a lender accepted.</summary>
    Deadline,
}
