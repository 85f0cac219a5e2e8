using System.Diagnostics;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Host.Bench;

/// <summary>
/// Times <see cref="Scp03Wrapper.Wrap"/> and <see cref="Scp03Wrapper.Unwrap"/> with BouncyCastle AES. The card's answer to
/// each command is built between the two, untimed, with the same session keys (GP Amd D §6.2.5, §6.2.7).
/// </summary>
public static class Scp03Bench
{
    /// <summary>The data sizes measured by default.</summary>
    public static readonly int[] DefaultSizes = [0, 64, 200];

    private const byte Level = Scp03SecurityLevel.CMac | Scp03SecurityLevel.CDecryption | Scp03SecurityLevel.RMac | Scp03SecurityLevel.REncryption;

    /// <summary>Measures one data size.</summary>
    /// <param name="dataBytes">Plain data bytes in the command and in the response (0 to 200).</param>
    /// <param name="iterations">Commands measured after as many warm-up ones.</param>
    /// <returns>The figures.</returns>
    public static Scp03Figures Measure(int dataBytes, int iterations)
    {
        byte[] key = Convert.FromHexString("404142434445464748494A4B4C4D4E4F");
        var keys = new Scp03StaticKeys(BouncyCastleAesFactory.Instance, 0x30, key, key, key);
        byte[] challenges = new byte[16];
        Scp03SessionKeys session = Scp03SessionKeys.Derive(keys, challenges, 0, challenges, 8, 8);
        var wrapper = new Scp03Wrapper(session, Level, new byte[16], 0);

        byte[] plain = LinkBench.Command(5 + dataBytes);
        plain[4] = (byte)dataBytes;
        byte[] wrapped = new byte[plain.Length + 32];
        byte[] answer = new byte[dataBytes + 16 + 16 + 2];
        byte[] output = new byte[answer.Length];
        byte[] counter = new byte[16];
        byte[] chain = new byte[16];
        long wrapTicks = 0, unwrapTicks = 0, wrapBytes = 0, unwrapBytes = 0;
        int added = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            wrapTicks = unwrapTicks = wrapBytes = unwrapBytes = 0;
            for (int i = 0; i < iterations; i++)
            {
                long a0 = GC.GetAllocatedBytesForCurrentThread();
                long t0 = Stopwatch.GetTimestamp();
                int wrappedCount = wrapper.Wrap(plain, 0, plain.Length, wrapped, 0);
                wrapTicks += Stopwatch.GetTimestamp() - t0;
                wrapBytes += GC.GetAllocatedBytesForCurrentThread() - a0;

                int answerCount = CardAnswer(session, wrapper, dataBytes, answer, counter, chain);
                added = wrappedCount - plain.Length + answerCount - (dataBytes + 2);

                a0 = GC.GetAllocatedBytesForCurrentThread();
                t0 = Stopwatch.GetTimestamp();
                wrapper.Unwrap(answer, 0, answerCount, output, 0);
                unwrapTicks += Stopwatch.GetTimestamp() - t0;
                unwrapBytes += GC.GetAllocatedBytesForCurrentThread() - a0;
            }
        }

        double perMicro = Stopwatch.Frequency / 1e6;
        return new Scp03Figures(
            dataBytes, wrapTicks / perMicro / iterations, unwrapTicks / perMicro / iterations,
            (double)wrapBytes / iterations, (double)unwrapBytes / iterations, added);
    }

    /// <summary>
    /// Builds the card's answer to the command just wrapped: response data encrypted with the command's counter, R-MAC
    /// over the command's chaining value, 9000. Reads the wrapper's state without changing it.
    /// </summary>
    /// <param name="session">The session keys both sides share.</param>
    /// <param name="wrapper">The host wrapper, right after <see cref="Scp03Wrapper.Wrap"/>.</param>
    /// <param name="dataBytes">Plain response data bytes.</param>
    /// <param name="answer">Receives the answer; at least dataBytes + 34 bytes.</param>
    /// <param name="counter">Scratch, 16 bytes.</param>
    /// <param name="chain">Scratch, 16 bytes.</param>
    /// <returns>The answer's length.</returns>
    public static int CardAnswer(Scp03SessionKeys session, Scp03Wrapper wrapper, int dataBytes, byte[] answer, byte[] counter, byte[] chain)
    {
        wrapper.GetCounter(counter, 0);
        wrapper.GetChainingValue(chain, 0);
        for (int i = 0; i < dataBytes; i++)
        {
            answer[i] = (byte)i;
        }

        int n = dataBytes == 0 ? 0 : session.EncryptData(counter, true, answer, 0, dataBytes);
        session.ComputeResponseMac(chain, answer, 0, n, 0x90, 0x00, answer, n);
        n += session.MacLength;
        answer[n] = 0x90;
        answer[n + 1] = 0x00;
        return n + 2;
    }
}
