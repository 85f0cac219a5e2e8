using System;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Drivers.T1
{
    /// <summary>
    /// A block protocol to a secure element (GP T=1' or SE05x T=1oI2C): activation, interface parameters,
    /// link management and APDU exchange. Failures throw <see cref="BlockProtocolException"/> and leave the link resynchronised
    /// or reported as <see cref="BlockProtocolError.NoDevice"/>.
    /// </summary>
    public interface ISeTransport : IApduTransport, IDisposable
    {
        /// <summary>Gets the protocol name for reports, such as "GP T=1'" or "SE05x T=1oI2C".</summary>
        string ProtocolName { get; }

        /// <summary>Gets the raw ATR (SE05x) or CIP (GP) read at the last activation, or null before.</summary>
        byte[] InterfaceBytes { get; }

        /// <summary>Gets the maximum information field size the SE accepts (IFSC) now in force.</summary>
        int Ifsc { get; }

        /// <summary>Gets the maximum information field size the host accepts (IFSD) now in force.</summary>
        int Ifsd { get; }

        /// <summary>Activates the link: resynchronises, reads the ATR/CIP and applies its parameters.</summary>
        /// <returns>The raw ATR/CIP bytes.</returns>
        /// <exception cref="BlockProtocolException">The SE did not answer or answered badly.</exception>
        byte[] Open();

        /// <summary>Resets the block sequence numbers on both sides (S(RESYNCH)).</summary>
        /// <exception cref="BlockProtocolException">The SE did not answer.</exception>
        void Resynchronize();

        /// <summary>Soft-resets the SE's interface and reads the ATR/CIP again.</summary>
        /// <returns>The raw ATR/CIP bytes.</returns>
        /// <exception cref="BlockProtocolException">The SE did not answer.</exception>
        byte[] SoftReset();

        /// <summary>Proposes a new IFSD to the SE (S(IFS) request).</summary>
        /// <param name="ifsd">The size the host can receive.</param>
        /// <exception cref="BlockProtocolException">The SE refused or did not answer.</exception>
        void NegotiateIfsd(int ifsd);

        /// <summary>Ends the session politely (GP: S(RELEASE); SE05x: S(END OF APDU SESSION)).</summary>
        /// <exception cref="BlockProtocolException">The SE did not answer.</exception>
        void Close();
    }
}
