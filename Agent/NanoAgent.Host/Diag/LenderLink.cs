using NanoAgent.Drivers.Bus;

namespace NanoAgent.Host.Diag;

/// <summary>
/// Stands for the link to an SE reached through a lender (<c>--via</c>) where the diagnostics expect a frame link: it
/// names the lender; no frame ever crosses it (the lender's transport carries APDUs, not blocks).
/// </summary>
/// <param name="description">The lender, e.g. "board link /dev/ttyACM0".</param>
public sealed class LenderLink(string description) : IFrameLink
{
    /// <inheritdoc />
    public string Description => description;

    /// <inheritdoc />
    public bool AnswersFillerWhenBusy => false;

    /// <inheritdoc />
    public BusTransferStatus Send(byte[] buffer, int offset, int count) => BusTransferStatus.UnknownError;

    /// <inheritdoc />
    public BusTransferStatus Receive(byte[] buffer, int offset, int count) => BusTransferStatus.UnknownError;
}
