namespace LoanHub.Core.Domain;

// Strongly named identifiers: a lender id passed where an application id is expected does not compile.
// Version 7 GUIDs sort by creation time, which keeps the store's indexes append-mostly.

public readonly record struct ApplicationId(Guid Value)
{
    public static ApplicationId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
    public static bool TryParse(string? text, out ApplicationId id)
    {
        var ok = Guid.TryParse(text, out var guid);
        id = new ApplicationId(guid);
        return ok;
    }
}

public readonly record struct LenderId(Guid Value)
{
    public static LenderId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

public readonly record struct ProductId(Guid Value)
{
    public static ProductId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

public readonly record struct SourceId(Guid Value)
{
    public static SourceId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

public readonly record struct AllocationId(Guid Value)
{
    public static AllocationId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}
