namespace NanoAgent.Fleet;

/// <summary>
/// What the backend learned of one SD on one device from its INITIALIZE UPDATE answers: the sequence counter of the last
/// session (a batch is pre-computed for the next), the i parameter and the key diversification data (GP Amd D §7.1.1.6).
/// </summary>
/// <param name="SequenceCounter">The sequence counter of the last session seen.</param>
/// <param name="IParameter">The card's i parameter.</param>
/// <param name="Diversification">The 10 bytes of key diversification data, or null when not seen yet.</param>
public sealed record DeviceFacts(int SequenceCounter, byte IParameter, byte[]? Diversification);
