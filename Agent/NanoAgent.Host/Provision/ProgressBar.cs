namespace NanoAgent.Host.Provision;

/// <summary>A text progress bar for one item: <c>[#####.....] acme 12/24 steps</c>.</summary>
public static class ProgressBar
{
    /// <summary>The bar's width in characters.</summary>
    public const int Width = 20;

    /// <summary>Draws the bar.</summary>
    /// <param name="tenant">The tenant whose script runs.</param>
    /// <param name="done">Steps answered.</param>
    /// <param name="total">Steps in the script.</param>
    /// <returns>The line.</returns>
    public static string Line(string tenant, int done, int total)
    {
        int filled = total <= 0 ? 0 : Math.Clamp(done * Width / total, 0, Width);
        return $"[{new string('#', filled)}{new string('.', Width - filled)}] {tenant} {done}/{total} steps";
    }
}
