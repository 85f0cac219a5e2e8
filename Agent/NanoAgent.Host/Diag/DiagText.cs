using NanoAgent.Drivers.Diagnostics;

namespace NanoAgent.Host.Diag;

/// <summary>Words printed for diagnostic findings, shared by the text and JSON reports.</summary>
public static class DiagText
{
    /// <summary>The word printed for a severity.</summary>
    /// <param name="severity">The severity.</param>
    /// <returns>PASS, INFO, WARN or FAIL.</returns>
    public static string Label(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Pass => "PASS",
        DiagnosticSeverity.Info => "INFO",
        DiagnosticSeverity.Warning => "WARN",
        _ => "FAIL",
    };
}
