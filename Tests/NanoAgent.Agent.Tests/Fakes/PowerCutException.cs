namespace NanoAgent.Agent.Tests.Fakes;

/// <summary>Stands for the agent losing power: nothing after the throw runs.</summary>
public sealed class PowerCutException : Exception
{
}
