namespace LoanHub.Web.Data.Seeding;

public sealed class SeedOptions
{
    public const string Section = "LoanHub:Seed";

    /// <summary>The first admin, created when the store has no users.</summary>
    public string AdminEmail { get; set; } = "admin@loanhub.local";

    /// <summary>When empty, a password is generated and written once to the log.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>
    /// A base32 authenticator key: when set, the first admin is created with two-factor sign-in already enrolled on
    /// it, so an automated set-up can compute the codes. Keep it as secret as the password.
    /// </summary>
    public string? AdminTotpSecret { get; set; }

    /// <summary>A configuration-as-code JSON file of sources, lenders and products, applied idempotently at start.</summary>
    public string? File { get; set; }

    /// <summary>Fill an empty store with a realistic, deterministic demo data set.</summary>
    public bool Demo { get; set; }

    public int DemoSeed { get; set; } = 20261123;

    public int DemoDays { get; set; } = 30;

    public int DemoApplicantsPerDay { get; set; } = 120;
}
