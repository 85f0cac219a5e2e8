using System.CommandLine;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Host.Gp;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Cli;

/// <summary><c>nanoagent scp03 open</c>: open an SCP03 session to a security domain and optionally send wrapped APDUs.</summary>
public static class Scp03Command
{
    /// <summary>Builds the <c>scp03</c> command.</summary>
    /// <returns>The command.</returns>
    public static Command Build()
    {
        var scp03 = new Command("scp03", "SCP03 secure channel sessions (GP Amd D).");
        var target = new SeTargetOptions();
        var options = new GpOptions();
        var apdus = new Option<string[]>("--apdu") { Description = "plain command APDUs in hex to send wrapped, in order", AllowMultipleArgumentsPerToken = true };
        var open = new Command("open", "Open a session (SELECT, INITIALIZE UPDATE, EXTERNAL AUTHENTICATE); prints KCVs, level and counter, never keys.");
        target.AddTo(open);
        options.AddTo(open, safety: false);
        open.Add(apdus);
        open.SetAction(parse => GpSessionRunner.WithSettings(parse, options, settings =>
        {
            var commands = new List<byte[]>();
            foreach (string text in parse.GetValue(apdus) ?? [])
            {
                try
                {
                    commands.Add(Convert.FromHexString(text.Replace(" ", string.Empty).Replace(":", string.Empty)));
                }
                catch (FormatException)
                {
                    throw new FormatException($"--apdu '{text}' is not hex");
                }
            }

            return GpSessionRunner.WithSession(parse, target, settings, (session, _) =>
            {
                TextWriter output = parse.InvocationConfiguration.Output;
                output.WriteLine($"SCP03 session open to {Convert.ToHexString(settings.SdAid)}.");
                int exit = ExitCodes.Ok;
                byte[] response = new byte[70000];
                var responses = new List<object>();
                foreach (byte[] command in commands)
                {
                    int n = session.Send(command, 0, command.Length, response, 0);
                    ushort sw = StatusWord.Read(response, 0, n);
                    bool ok = StatusWord.IsSuccess(sw) || StatusWord.IsWarning(sw);
                    responses.Add(new { Command = Convert.ToHexString(command), Data = Convert.ToHexString(response, 0, Math.Max(0, n - 2)), Sw = sw.ToString("X4"), Meaning = StatusWordText.Meaning(sw), Ok = ok });
                    if (!ok)
                    {
                        exit = ExitCodes.Failed;
                    }

                    if (!session.IsOpen)
                    {
                        output.WriteLine("The session was closed: the card may have refused the command's MAC.");
                        exit = ExitCodes.Failed;
                        break;
                    }
                }

                if (parse.GetValue(options.Json))
                {
                    JsonReport.Write(output, "scp03 open", exit, new
                    {
                        Sd = Convert.ToHexString(settings.SdAid), KeySet = settings.Keys.ToString(), Level = session.SecurityLevel.ToString("X2"), settings.S16,
                        IParameter = session.IParameter.ToString("X2"), session.SequenceCounter, SessionOpen = session.IsOpen, Responses = responses,
                    });
                }

                return exit;
            });
        }));
        scp03.Add(open);
        return scp03;
    }
}
