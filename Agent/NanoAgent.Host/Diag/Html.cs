using System.Globalization;
using System.Net;

namespace NanoAgent.Host.Diag;

/// <summary>Escaping and number formatting for the HTML report (text and attribute values alike).</summary>
public static class Html
{
    /// <summary>Escapes text for an element or a quoted attribute value.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The escaped text.</returns>
    public static string Text(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Formats a coordinate or a figure with at most two decimals, culture-free.</summary>
    /// <param name="value">The number.</param>
    /// <returns>Such as "12.5".</returns>
    public static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
