using System.Diagnostics;

namespace NanoAgent.Host.Gate;

/// <summary>Runs <c>/bin/sh</c> with arguments for the command sensors and actuators: bounded in time, output captured, killed on timeout.</summary>
public static class HostCommand
{
    /// <summary>The largest output kept, in characters.</summary>
    public const int MaxOutput = 4096;

    /// <summary>Runs <c>/bin/sh</c> with the arguments (no shell parsing of the arguments themselves).</summary>
    /// <param name="shellArguments">The arguments, for example <c>-c</c> and a command line.</param>
    /// <param name="timeout">How long it may run; then the process tree is killed.</param>
    /// <returns>The output, or why it failed.</returns>
    public static HostCommandResult Run(IReadOnlyList<string> shellArguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in shellArguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new HostCommandResult(string.Empty, "could not start: " + e.Message);
        }

        using (process)
        {
            process.StandardInput.Close();
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return new HostCommandResult(string.Empty, $"timed out after {timeout.TotalSeconds:0.#} s");
            }

            process.WaitForExit();
            string text = output.Result;
            if (process.ExitCode != 0)
            {
                string why = error.Result.Trim();
                return new HostCommandResult(string.Empty, $"exited with {process.ExitCode}" + (why.Length > 0 ? ": " + Shorten(why) : string.Empty));
            }

            return new HostCommandResult(text.Length > MaxOutput ? text[..MaxOutput] : text, null);
        }
    }

    private static string Shorten(string text)
    {
        string first = text.Split('\n')[0];
        return first.Length > 200 ? first[..200] : first;
    }
}
