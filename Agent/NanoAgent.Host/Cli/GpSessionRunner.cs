using System.CommandLine;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Host.Gp;
using NanoAgent.Host.Se;
using NanoAgent.Host.Common;
using NanoAgent.VirtualSe;

namespace NanoAgent.Host.Cli;

/// <summary>
/// Runs a card-manager command: reads the session options, enforces --yes / --dry-run for irreversible operations, opens the
/// SE connection and the SCP03 session, and maps failures to exit codes and plain words.
/// </summary>
public static class GpSessionRunner
{
    /// <summary>The i parameter a dry run assumes: pseudo-random challenges, R-MAC, R-ENC (the virtual SE's, GP Amd D §5.1).</summary>
    public const byte DryRunIParameter = 0x70;

    /// <summary>Runs plain management commands in one session (or prints them with --dry-run).</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="target">The SE target options.</param>
    /// <param name="options">The session options.</param>
    /// <param name="irreversible">Null when reversible; else what makes it irreversible, for the refusal.</param>
    /// <param name="commands">Builds the plain commands from the settings (a usage error throws <see cref="FormatException"/>).</param>
    /// <param name="sdOverride">An SD AID (hex) that replaces --sd, or null.</param>
    /// <returns>The exit code.</returns>
    public static int RunCommands(
        ParseResult parse, SeTargetOptions target, GpOptions options, string? irreversible, Func<GpSettings, IReadOnlyList<byte[]>> commands,
        string? sdOverride = null)
    {
        TextWriter output = parse.InvocationConfiguration.Output;
        TextWriter error = parse.InvocationConfiguration.Error;
        bool dryRun = parse.GetValue(options.DryRun);
        if (irreversible is not null && !dryRun && !parse.GetValue(options.Yes))
        {
            error.WriteLine($"Refusing: {irreversible} cannot be undone. Add --yes to do it, or --dry-run to see the APDUs without sending them.");
            return ExitCodes.Usage;
        }

        return WithSettings(parse, options, settings =>
        {
            settings = sdOverride is null ? settings : settings with { SdAid = GpKeyFiles.ParseAid(sdOverride) };
            IReadOnlyList<byte[]> plain = commands(settings);
            if (dryRun)
            {
                PrintDryRun(output, settings, parse.GetValue(options.Counter), plain);
                return ExitCodes.Ok;
            }

            return WithSession(parse, target, settings, (session, _) =>
            {
                int exit = ExitCodes.Ok;
                byte[] response = new byte[70000];
                foreach (byte[] command in plain)
                {
                    int n = session.Send(command, 0, command.Length, response, 0);
                    ushort sw = StatusWord.Read(response, 0, n);
                    if (sw != StatusWord.Success)
                    {
                        output.WriteLine($"FAILED: {StatusWordText.Describe(sw)}");
                        return ExitCodes.Failed;
                    }
                }

                output.WriteLine("Done.");
                return exit;
            });
        });
    }

    /// <summary>Reads the settings and runs the body, mapping bad options and key files to usage errors.</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="options">The session options.</param>
    /// <param name="body">What to do.</param>
    /// <returns>The exit code.</returns>
    public static int WithSettings(ParseResult parse, GpOptions options, Func<GpSettings, int> body)
    {
        TextWriter error = parse.InvocationConfiguration.Error;
        try
        {
            return body(options.Read(parse));
        }
        catch (FormatException e)
        {
            error.WriteLine(e.Message);
            return ExitCodes.Usage;
        }
        catch (PlatformKeyStoreException e)
        {
            error.WriteLine("error: " + e.Message);
            return ExitCodes.Usage;
        }
        catch (ApduException e)
        {
            error.WriteLine(e.Message);
            return ExitCodes.Usage;
        }
    }

    /// <summary>Connects, opens the session (printing KCVs, level and counter), and runs the body.</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="target">The SE target options.</param>
    /// <param name="settings">The session settings.</param>
    /// <param name="body">What to do in the open session.</param>
    /// <returns>The exit code.</returns>
    public static int WithSession(ParseResult parse, SeTargetOptions target, GpSettings settings, Func<GpSecureSession, SeConnection, int> body)
    {
        TextWriter output = parse.InvocationConfiguration.Output;
        TextWriter error = parse.InvocationConfiguration.Error;
        return WithClosedSession(parse, target, settings.S16, (session, connection) =>
        {
            output.WriteLine($"Opening SCP03 to {Convert.ToHexString(settings.SdAid)} with {settings.Keys}");
            GpOpenStatus status = session.Open(settings.SdAid, settings.Keys, settings.Level, settings.ChallengeLength);
            if (status != GpOpenStatus.Opened)
            {
                error.WriteLine($"Cannot open the session: {GpText.Describe(status)} ({StatusWordText.Describe(session.LastStatusWord)}).");
                return ExitCodes.Failed;
            }

            output.WriteLine($"Session open: level {session.SecurityLevel:X2}, {(settings.S16 ? "S16" : "S8")}, i parameter {session.IParameter:X2}, sequence counter {session.SequenceCounter}");
            return body(session, connection);
        });
    }

    /// <summary>Connects and creates a closed session (tracing every APDU), runs the body, and maps failures to exit codes.</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="target">The SE target options.</param>
    /// <param name="s16">True to switch a virtual SE to S16 mode.</param>
    /// <param name="body">What to do with the session.</param>
    /// <returns>The exit code.</returns>
    public static int WithClosedSession(ParseResult parse, SeTargetOptions target, bool s16, Func<GpSecureSession, SeConnection, int> body)
    {
        TextWriter output = parse.InvocationConfiguration.Output;
        TextWriter error = parse.InvocationConfiguration.Error;
        return SeCommands.WithConnection(parse, target, connection =>
        {
            if (s16 && connection.Virtual is { CardKind: VirtualSeCard.Gp } vse)
            {
                vse.Card.Options.Scp03IParameter |= Scp03SecurityLevel.S16Mode;
            }

            connection.Transport.Open();
            var session = new GpSecureSession(connection.Channel, CryptoRandomSource.Instance, new GpTextTrace(output), 65536);
            try
            {
                return body(session, connection);
            }
            catch (SecureChannelException e)
            {
                error.WriteLine($"Secure channel failed ({e.Error}): {e.Message} The session is closed.");
                return ExitCodes.Failed;
            }
            catch (ApduException e)
            {
                error.WriteLine($"APDU failed ({e.Error}): {e.Message}");
                return ExitCodes.Failed;
            }
            finally
            {
                session.Close();
                connection.Transport.Close();
            }
        });
    }

    /// <summary>Prints, without sending anything, the APDUs a session would carry: wrapped for an offline session at a given counter.</summary>
    /// <param name="output">Where to print.</param>
    /// <param name="settings">The session settings.</param>
    /// <param name="counter">The sequence counter the card is assumed to report next.</param>
    /// <param name="plain">The plain management commands.</param>
    public static void PrintDryRun(TextWriter output, GpSettings settings, int counter, IReadOnlyList<byte[]> plain)
    {
        byte[] challenge = new byte[settings.ChallengeLength];
        CryptoRandomSource.Instance.Fill(challenge, 0, challenge.Length);
        byte i = (byte)(DryRunIParameter | (settings.S16 ? Scp03SecurityLevel.S16Mode : 0));
        var offline = Scp03HostSession.ForPrecomputed(settings.Keys, counter, settings.SdAid, 0, settings.SdAid.Length, i, challenge, 0);
        byte[] buffer = new byte[300];
        output.WriteLine($"DRY RUN: nothing is sent. Keys {settings.Keys}.");
        output.WriteLine($"Wrapped for sequence counter {counter} (i parameter {i:X2}); a live session uses the card's next counter and a fresh host challenge, so its wrapped bytes differ.");
        output.WriteLine("  > " + Convert.ToHexString(buffer, 0, GpSelect.Build(settings.SdAid, 0, settings.SdAid.Length, buffer, 0)));
        output.WriteLine("  > " + Convert.ToHexString(buffer, 0, offline.BuildInitializeUpdate(buffer, 0)));
        output.WriteLine("  > " + Convert.ToHexString(buffer, 0, offline.BuildExternalAuthenticate(settings.Level, buffer, 0)));
        foreach (byte[] command in plain)
        {
            output.WriteLine("  > " + Convert.ToHexString(command));
            output.WriteLine("  >> " + Convert.ToHexString(buffer, 0, offline.Wrap(command, 0, command.Length, buffer, 0)));
        }
    }
}
