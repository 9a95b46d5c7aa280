using System.Security.Cryptography;
using System.Text;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;

namespace LoanHub.Web.Features.Delivery;

/// <summary>Builds what lenders receive from an application and its decision record: hashes for the pre-check, the whole lead for the post.</summary>
public static class LeadPayloads
{
    public static PrecheckRequest Precheck(DeliveryId deliveryId, string productCode, Applicant applicant, DecisionRecord record) => new(
        deliveryId.ToString(), productCode, PhoneMd5(applicant.Phone), NationalIdSha256(applicant.NationalId),
        applicant.ProvinceCode, applicant.RequestedAmount, applicant.TermMonths, record.Tier.ToString(), record.Score);

    /// <summary>The full application; only an applicant who consented to sharing with lenders is ever posted.</summary>
    public static PostRequest Post(string deliveryId, ApplicationId applicationId, string productCode, Applicant applicant, Consent consent,
        DateTimeOffset givenAt, DecisionRecord record)
    {
        if (!consent.ShareWithLenders) throw new DomainException("The applicant did not consent to sharing with lenders.");
        return new(deliveryId, applicationId.Value, productCode,
            new LeadApplicant(applicant.FullName, applicant.NationalId, applicant.Phone, applicant.ProvinceCode, applicant.City,
                applicant.MonthlyIncome, applicant.ExistingMonthlyDebt, applicant.Employment.ToString(), applicant.RequestedAmount,
                applicant.TermMonths, applicant.Purpose.ToString()),
            new LeadRisk(record.Score, record.Tier.ToString(), record.ReasonCodes),
            new LeadConsent(consent.CreditCheck, consent.ShareWithLenders, consent.Text, givenAt));
    }

    /// <summary>The trade's 撞库 convention: lowercase hex MD5 of the 11-digit mobile number.</summary>
    public static string PhoneMd5(string phone) => Convert.ToHexStringLower(MD5.HashData(Encoding.ASCII.GetBytes(phone.Trim())));

    /// <summary>Lowercase hex SHA-256 of the 18-character resident ID, its check character an upper-case X.</summary>
    public static string NationalIdSha256(string nationalId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(nationalId.Trim().ToUpperInvariant())));
}
