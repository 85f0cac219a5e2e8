namespace NanoAgent.VirtualSe.Gate;

/// <summary>
/// The gate's persistent memory. <see cref="Save"/> is atomic: after it returns the record is durable; when it throws,
/// the stored record is the old one or the new one (never half), and the applet releases nothing that depends on it.
/// </summary>
public interface IGateStore
{
    /// <summary>Finds the record of a gate instance.</summary>
    /// <param name="aid">The instance AID (upper-case hex).</param>
    /// <returns>A copy of the stored record, or null.</returns>
    GateRecord? Find(string aid);

    /// <summary>Saves a record durably, replacing the one with the same AID.</summary>
    /// <param name="record">The record; the store keeps a copy.</param>
    /// <exception cref="GateStoreException">The record could not be saved.</exception>
    void Save(GateRecord record);
}
