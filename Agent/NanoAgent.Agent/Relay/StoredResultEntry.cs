namespace NanoAgent.Agent.Relay
{
    /// <summary>One stored result of a tenant: the script id (as hex key and bytes) and the encoded result message.</summary>
    internal sealed class StoredResultEntry
    {
        public StoredResultEntry(string key, byte[] scriptId, byte[] result)
        {
            Key = key;
            ScriptId = scriptId;
            Result = result;
        }

        public string Key { get; }

        public byte[] ScriptId { get; }

        public byte[] Result { get; }
    }
}
