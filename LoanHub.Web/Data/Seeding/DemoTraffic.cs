using LoanHub.Core.Domain;
using LoanHub.Core.Identity;

namespace LoanHub.Web.Data.Seeding;

/// <summary>One generated applicant as a traffic source would post it.</summary>
internal sealed record DemoApplicant(string SourceCode, string ExternalRef, DateTimeOffset ReceivedAt, Applicant Applicant, Consent Consent);

/// <summary>
/// Deterministic demo traffic: the same seed gives the same applicants. Besides ordinary applicants it
/// mixes in re-applications of earlier identities (duplicates) and small fraud rings whose members
/// share a device or a phone.
/// </summary>
internal sealed class DemoTraffic(int seed)
{
    public const string ConsentText =
        "本人同意贷款流量平台查询本人征信信息，并将本人申请信息提供给合作金融机构用于贷款审批。";

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗"];
    private static readonly string[] GivenNames = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "晨", "浩然", "子涵", "欣怡", "梓轩"];
    // Cities as Chinese sources post them.
    private static readonly (string Region, string Province, string City)[] Regions =
    [
        ("110101", "11", "北京"), ("310104", "31", "上海"), ("440106", "44", "广州"), ("440305", "44", "深圳"),
        ("330106", "33", "杭州"), ("320102", "32", "南京"), ("510107", "51", "成都"), ("420106", "42", "武汉"),
        ("370102", "37", "济南"), ("410105", "41", "郑州"), ("430103", "43", "长沙"), ("350203", "35", "厦门"),
        ("130104", "13", "石家庄"), ("500103", "50", "重庆"), ("610113", "61", "西安"), ("210102", "21", "沈阳"),
    ];
    private static readonly string[] SourceCodes = ["ADS", "APP", "SOC"];
    private static readonly Employment[] Employments =
        [Employment.Salaried, Employment.Salaried, Employment.Salaried, Employment.Salaried, Employment.SelfEmployed, Employment.SelfEmployed,
         Employment.BusinessOwner, Employment.Student, Employment.Retired, Employment.Unemployed];
    private static readonly LoanPurpose[] Purposes = Enum.GetValues<LoanPurpose>();

    public IReadOnlyList<DemoApplicant> Generate(DateTimeOffset end, int days, int perDay)
    {
        var random = new Random(seed);
        var result = new List<DemoApplicant>(days * perDay + days * 8);
        var earlier = new List<Applicant>();
        var start = end.AddDays(-days);
        var sequence = 0;

        for (var day = 0; day < days; day++)
        {
            var dayStart = start.AddDays(day);
            var count = perDay + random.Next(-perDay / 5, perDay / 5 + 1);
            for (var i = 0; i < count; i++)
            {
                var at = dayStart.AddSeconds(random.Next(0, 86_400));
                if (at > end) continue;
                var source = SourceCodes[random.Next(SourceCodes.Length)];
                Applicant applicant;
                if (earlier.Count > 50 && random.NextDouble() < 0.04)
                {
                    // A re-application of someone seen before, often through another channel.
                    var previous = earlier[random.Next(Math.Max(0, earlier.Count - 400), earlier.Count)];
                    applicant = previous with { RequestedAmount = RoundAmount(previous.RequestedAmount * (decimal)(0.8 + random.NextDouble() * 0.4)) };
                }
                else
                {
                    applicant = NewApplicant(random, end);
                    earlier.Add(applicant);
                }
                result.Add(new DemoApplicant(source, $"{source}-{++sequence:D7}", at, applicant, new Consent(true, true, random.NextDouble() < 0.3, ConsentText)));
            }

            if (day % 6 == 2 || day == days - 1)
            {
                result.AddRange(Ring(random, dayStart.AddHours(10 + random.Next(8)), end, ref sequence));
            }
        }
        result.Sort((a, b) => a.ReceivedAt.CompareTo(b.ReceivedAt));
        return result;
    }

    // Three to five identities behind one device, and two of them behind one phone: a typical ring.
    private static IEnumerable<DemoApplicant> Ring(Random random, DateTimeOffset at, DateTimeOffset end, ref int sequence)
    {
        var members = random.Next(3, 6);
        var device = $"dev-ring-{random.Next():x8}";
        var phone = Phone(random);
        var source = SourceCodes[random.Next(SourceCodes.Length)];
        var ring = new List<DemoApplicant>();
        for (var m = 0; m < members; m++)
        {
            var applicant = NewApplicant(random, end) with { DeviceId = device, IpAddress = $"223.104.{random.Next(1, 255)}.{random.Next(1, 255)}" };
            if (m < 2) applicant = applicant with { Phone = phone };
            var when = at.AddMinutes(m * random.Next(3, 40));
            if (when <= end)
                ring.Add(new DemoApplicant(source, $"{source}-{++sequence:D7}", when, applicant, new Consent(true, true, false, ConsentText)));
        }
        return ring;
    }

    private static Applicant NewApplicant(Random random, DateTimeOffset end)
    {
        var region = Regions[random.Next(Regions.Length)];
        var age = 19 + (int)Math.Round(Math.Abs(NextGaussian(random)) * 12) + random.Next(0, 8);
        age = Math.Min(age, 64);
        var birth = DateOnly.FromDateTime(end.UtcDateTime).AddYears(-age).AddDays(-random.Next(1, 360));
        var male = random.Next(2) == 0;
        var sequenceDigits = random.Next(0, 50) * 2 + (male ? 1 : 0);
        var first17 = $"{region.Region}{birth:yyyyMMdd}{random.Next(0, 10)}{sequenceDigits:D2}";
        var nationalId = first17 + ResidentId.CheckCharacterOf(first17);

        var employment = Employments[random.Next(Employments.Length)];
        var baseIncome = employment switch
        {
            Employment.Student => 1_500m,
            Employment.Unemployed => 800m,
            Employment.Retired => 4_000m,
            Employment.BusinessOwner => 18_000m,
            Employment.SelfEmployed => 9_000m,
            _ => 8_500m,
        };
        var income = RoundAmount(baseIncome * (decimal)Math.Exp(NextGaussian(random) * 0.45));
        var debt = random.NextDouble() < 0.55 ? RoundAmount(income * (decimal)(random.NextDouble() * 0.6)) : (decimal?)null;
        var multiple = random.NextDouble() < 0.012 ? 35 + random.Next(0, 20) : 1 + random.NextDouble() * 10;
        var amount = Math.Clamp(RoundAmount(income * (decimal)multiple / 100m) * 100m, 500m, 1_000_000m);
        int[] terms = [3, 6, 6, 12, 12, 12, 18, 24, 24, 36, 48, 60];
        var score = random.NextDouble() < 0.12 ? (int?)null : Math.Clamp(650 + (int)(NextGaussian(random) * 75), 350, 880);

        return new Applicant(
            FullName: Surnames[random.Next(Surnames.Length)] + GivenNames[random.Next(GivenNames.Length)],
            NationalId: nationalId,
            Phone: Phone(random),
            ProvinceCode: region.Province,
            City: region.City,
            MonthlyIncome: income,
            ExistingMonthlyDebt: debt,
            Employment: employment,
            RequestedAmount: amount,
            TermMonths: terms[random.Next(terms.Length)],
            Purpose: Purposes[random.Next(Purposes.Length)],
            DeviceId: $"dev-{random.Next():x8}{random.Next():x8}",
            IpAddress: $"{random.Next(36, 223)}.{random.Next(0, 255)}.{random.Next(0, 255)}.{random.Next(1, 255)}",
            BureauScore: score);
    }

    private static string Phone(Random random) => $"1{random.Next(3, 10)}{random.Next(0, 1_000_000_000):D9}";

    private static decimal RoundAmount(decimal value) => Math.Round(value, 0, MidpointRounding.AwayFromZero);

    private static double NextGaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
