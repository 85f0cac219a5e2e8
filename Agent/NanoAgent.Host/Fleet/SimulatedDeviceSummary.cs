namespace NanoAgent.Host.Fleet;

/// <summary>What reached one simulated device's SE, as <c>fleet simulate --summary</c> writes it.</summary>
/// <param name="Device">The device id.</param>
/// <param name="Diversification">The key diversification data its SDs return (hex).</param>
/// <param name="SequenceCounter">The tenant SD's SCP03 sequence counter.</param>
/// <param name="StoreData">How many STORE DATA commands (INS E2) reached the card.</param>
/// <param name="InitializeUpdate">How many INITIALIZE UPDATE commands (INS 50) reached the card.</param>
/// <param name="StoredObjects">How many data objects the tenant's SD holds.</param>
public sealed record SimulatedDeviceSummary(string Device, string Diversification, int SequenceCounter, int StoreData, int InitializeUpdate, int StoredObjects);
