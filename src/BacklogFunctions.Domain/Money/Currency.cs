using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace BacklogFunctions.Domain.Money;

/// <summary>An ISO 4217 currency and the number of digits of its minor unit (USD 2, JPY 0, KWD 3).</summary>
public readonly record struct Currency
{
    // Active ISO 4217 codes grouped by minor unit. Everything not listed under 0, 3 or 4 has two digits.
    private const string ZeroDigits = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
    private const string ThreeDigits = "BHD IQD JOD KWD LYD OMR TND";
    private const string FourDigits = "CLF UYW";
    private const string TwoDigits =
        "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD " +
        "CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS " +
        "GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL " +
        "MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK " +
        "PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS " +
        "TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG";

    private static readonly FrozenDictionary<string, int> MinorUnits = BuildTable();

    private Currency(string code, int minorUnit)
    {
        Code = code;
        MinorUnit = minorUnit;
    }

    /// <summary>The three-letter ISO 4217 code.</summary>
    public string Code { get; }

    /// <summary>Digits after the decimal point in the currency's minor unit.</summary>
    public int MinorUnit { get; }

    public static Currency USD => Of("USD");
    public static Currency EUR => Of("EUR");
    public static Currency JPY => Of("JPY");
    public static Currency KWD => Of("KWD");

    public static bool TryOf(string? code, [NotNullWhen(true)] out Currency? currency)
    {
        if (code is not null && MinorUnits.TryGetValue(code, out var digits))
        {
            currency = new Currency(code, digits);
            return true;
        }

        currency = null;
        return false;
    }

    public static Currency Of(string code) =>
        TryOf(code, out var currency) ? currency.Value : throw new ArgumentException($"'{code}' is not an ISO 4217 currency code.", nameof(code));

    /// <summary>Rounds to the minor unit, half away from zero (the convention of invoices and ledgers).</summary>
    public decimal Round(decimal amount) => Math.Round(amount, MinorUnit, MidpointRounding.AwayFromZero);

    /// <summary>True when <paramref name="amount"/> has no more fraction digits than the minor unit allows.</summary>
    public bool Fits(decimal amount) => decimal.Round(amount, MinorUnit) == amount;

    /// <summary>The amount with exactly the minor unit's digits, invariant culture ("1200.00", "5000", "0.125").</summary>
    public string Format(decimal amount) =>
        Round(amount).ToString("F" + MinorUnit.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);

    public override string ToString() => Code;

    private static FrozenDictionary<string, int> BuildTable()
    {
        var table = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (codes, digits) in new[] { (ZeroDigits, 0), (TwoDigits, 2), (ThreeDigits, 3), (FourDigits, 4) })
        {
            foreach (var code in codes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                table.Add(code, digits);
            }
        }

        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
