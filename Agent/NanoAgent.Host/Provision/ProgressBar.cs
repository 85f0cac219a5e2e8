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
    public static string Line(string tenant, int done, int total) => $"{Bar(done, total)} {tenant} {done}/{total} steps";

    /// <summary>Draws the bar alone: <c>[#####.....]</c>.</summary>
    /// <param name="done">Items done.</param>
    /// <param name="total">Items in all.</param>
    /// <returns>The bar.</returns>
    public static string Bar(long done, long total)
    {
        int filled = total <= 0 ? 0 : (int)Math.Clamp(done * Width / total, 0, Width);
        return $"[{new string('#', filled)}{new string('.', Width - filled)}]";
    }
}
