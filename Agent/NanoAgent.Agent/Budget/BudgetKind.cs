namespace NanoAgent.Agent.Budget
{
    /// <summary>When a budgeted buffer lives.</summary>
    public enum BudgetKind
    {
        /// <summary>Allocated once when its owner is created and kept for the agent's life.</summary>
        Static = 0,

        /// <summary>Allocated for one message in flight (MQTT payload, decoded script, encoded result) and then freed.</summary>
        PerMessage = 1,
    }
}
