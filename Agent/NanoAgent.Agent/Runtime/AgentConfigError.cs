namespace NanoAgent.Agent.Runtime
{
    /// <summary>Why a configuration text was refused. Each cause has its own code.</summary>
    public enum AgentConfigError
    {
        /// <summary>A line is neither blank, a comment, nor <c>key = value</c>.</summary>
        Syntax = 1,

        /// <summary>The key is not one the agent knows (a typo would otherwise be silently ignored).</summary>
        UnknownKey = 2,

        /// <summary>The value does not parse or is out of range.</summary>
        BadValue = 3,

        /// <summary>A key that may appear once appears again.</summary>
        Duplicate = 4,

        /// <summary>A required key is missing (reported at line 0).</summary>
        Missing = 5,
    }
}
