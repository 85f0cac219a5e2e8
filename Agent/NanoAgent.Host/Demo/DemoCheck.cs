namespace NanoAgent.Host.Demo;

/// <summary>One line of the demo's summary: who did what, what should happen, what did.</summary>
/// <param name="Who">The actor.</param>
/// <param name="What">What it tried.</param>
/// <param name="Expected">The outcome nanoAgent promises.</param>
/// <param name="Got">What happened.</param>
/// <param name="Ok">Whether it matches.</param>
public sealed record DemoCheck(string Who, string What, string Expected, string Got, bool Ok);
