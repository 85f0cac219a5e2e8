using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NanoAgent.Host.Common;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Cli;

/// <summary>
/// The options every command that connects to a broker shares besides <c>--broker</c>, <c>--user</c> and <c>--password</c>:
/// <c>--password-file</c> (keeps the password off the command line), and for <c>mqtts://</c> the CA that signs the broker's
/// certificate, this client's certificate and key (brokers with <c>require_certificate</c>), and <c>--insecure</c>.
/// TLS options on a plain <c>mqtt://</c> broker (the command's <c>--broker</c>, or its embedded broker) are refused; the
/// files are checked before any connection: a missing or unreadable file, or a private key open to group or others (as
/// ssh refuses one), is bad input (<see cref="InputFileException"/>, exit code 2).
/// </summary>
public sealed class BrokerClientOptions
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Gets the CA option.</summary>
    public Option<string?> Ca { get; } = new("--ca-file") { Description = "PEM CA certificate that signs the broker's TLS certificate (default: the system's trust store)" };

    /// <summary>Gets the client certificate option.</summary>
    public Option<string?> Certificate { get; } = new("--cert") { Description = "PEM client certificate, for brokers that authenticate clients by certificate (its CN is the user name)" };

    /// <summary>Gets the client key option.</summary>
    public Option<string?> Key { get; } = new("--key") { Description = "PEM private key of --cert (mode 600; default: in the --cert file)" };

    /// <summary>Gets the option that turns server verification off.</summary>
    public Option<bool> Insecure { get; } = new("--insecure") { Description = "accept any broker certificate (lab brokers only, never in production)" };

    /// <summary>Gets the password file option.</summary>
    public Option<string?> PasswordFile { get; } = new("--password-file") { Description = "read the broker password from this file's first line (mode 600) instead of --password" };

    /// <summary>Adds the options to a command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { PasswordFile, Ca, Certificate, Key, Insecure })
        {
            command.Add(option);
        }
    }

    /// <summary>Gives the password: <paramref name="password"/>'s value, or the first line of <c>--password-file</c>.</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="password">The command's <c>--password</c> option.</param>
    /// <param name="value">The password, or null when neither is given (or on error).</param>
    /// <returns>False when both are given or the file is unreadable or open to group or others (written to the error output; exit code 2).</returns>
    public bool TryReadPassword(ParseResult parse, Option<string?> password, out string? value)
    {
        value = parse.GetValue(password);
        string? file = parse.GetValue(PasswordFile);
        if (file is null)
        {
            return true;
        }

        TextWriter error = parse.InvocationConfiguration.Error;
        if (value is not null)
        {
            error.WriteLine("give either --password or --password-file");
            value = null;
            return false;
        }

        try
        {
            if (!OperatingSystem.IsWindows() && File.Exists(file) && (File.GetUnixFileMode(file) & GroupOrOther) != 0)
            {
                error.WriteLine($"password file '{file}' is readable or writable by group or others: chmod 600 it");
                return false;
            }

            value = File.ReadLines(file).FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"cannot read the password file: {e.Message}");
            return false;
        }

        if (string.IsNullOrEmpty(value))
        {
            error.WriteLine($"password file '{file}' is empty");
            value = null;
            return false;
        }

        return true;
    }

    /// <summary>Reads the options; a bad combination is written to the command's error output.</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="settings">The settings, or null when no TLS option was given (or on error).</param>
    /// <param name="timeout">The connection timeout, or null for the default.</param>
    /// <returns>False on a bad combination (exit code 2).</returns>
    /// <exception cref="InputFileException">A CA, certificate or key file is missing, unusable, or (a key) open to group or others.</exception>
    public bool TryRead(ParseResult parse, out MqttNetSettings? settings, TimeSpan? timeout = null)
    {
        try
        {
            settings = Read(parse, timeout);
            return true;
        }
        catch (FormatException e)
        {
            parse.InvocationConfiguration.Error.WriteLine(e.Message);
            settings = null;
            return false;
        }
    }

    /// <summary>Reads the options.</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="timeout">The connection timeout, or null for the default.</param>
    /// <returns>The settings, or null when no TLS option was given.</returns>
    /// <exception cref="FormatException">--key without --cert, --insecure with --ca-file, or a TLS option with a plain broker.</exception>
    /// <exception cref="InputFileException">A CA, certificate or key file is missing, unusable, or (a key) open to group or others.</exception>
    public MqttNetSettings? Read(ParseResult parse, TimeSpan? timeout = null)
    {
        string? ca = parse.GetValue(Ca);
        string? certificate = parse.GetValue(Certificate);
        string? key = parse.GetValue(Key);
        bool insecure = parse.GetValue(Insecure);
        if (key != null && certificate == null)
        {
            throw new FormatException("--key goes with --cert");
        }

        if (insecure && ca != null)
        {
            throw new FormatException("--insecure and --ca-file contradict each other: give one");
        }

        if (ca == null && certificate == null && !insecure)
        {
            return null;
        }

        if (PlainBroker(parse) is { } plain)
        {
            string given = string.Join(", ", new[] { ca == null ? null : "--ca-file", certificate == null ? null : "--cert", key == null ? null : "--key", insecure ? "--insecure" : null }.Where(o => o != null));
            throw new FormatException($"{given} {(given.Contains(',') ? "are" : "is")} for TLS, but {plain} is plain MQTT: use --broker mqtts://host:port (TLS, usually port 8883) or leave {(given.Contains(',') ? "them" : "it")} out");
        }

        if (ca != null)
        {
            CheckCa(ca);
        }

        if (certificate != null)
        {
            CheckClientCertificate(certificate, key);
        }

        var settings = new MqttNetSettings { CaCertificateFile = ca, ClientCertificateFile = certificate, ClientKeyFile = key, AllowUntrustedCertificates = insecure };
        if (timeout is { } t)
        {
            settings.Timeout = t;
        }

        return settings;
    }

    // The broker this command connects to, when it is plain MQTT: "--broker mqtt://..." or the embedded broker (an
    // agent's --broker left out). Null for TLS, for an address the command itself will refuse, or without --broker.
    private static string? PlainBroker(ParseResult parse)
    {
        if (parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == "--broker") is not Option<string> option)
        {
            return null;
        }

        string? url = parse.GetValue(option);
        if (url is null)
        {
            return "the embedded broker";
        }

        return MqttBrokerAddress.TryParse(url, out MqttBrokerAddress? address) && address is { UseTls: false } ? $"--broker {url}" : null;
    }

    private static void CheckCa(string path)
    {
        InputFile.ReadBytes(path, "CA certificate file");
        try
        {
            using X509Certificate2 ca = X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (CryptographicException e)
        {
            throw new InputFileException(path, $"not a CA certificate (PEM or DER): {e.Message}", e);
        }
    }

    // A private key must be the owner's alone (ssh refuses a key with any group or other bit); the key is in --key, or in
    // the --cert file when --key is left out.
    private static void CheckClientCertificate(string certificate, string? key)
    {
        string certificateText = InputFile.ReadText(certificate, "client certificate file");
        string? keyFile = key ?? (certificateText.Contains("PRIVATE KEY-----", StringComparison.Ordinal) ? certificate : null);
        if (key != null)
        {
            InputFile.ReadText(key, "private key file");
        }

        if (keyFile != null && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(keyFile) & GroupOrOther) is var open && open != 0)
        {
            string mode = Convert.ToString((int)File.GetUnixFileMode(keyFile) & 0x1FF, 8).PadLeft(3, '0');
            throw new InputFileException(keyFile, $"private key readable or writable by group or others (mode {mode}): chmod 600 it (as ssh requires)");
        }

        try
        {
            using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(certificate, key);
            if (!pem.HasPrivateKey)
            {
                throw new CryptographicException("no private key");
            }
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new InputFileException(key ?? certificate, $"not a usable PEM client certificate and private key{(key == null ? string.Empty : $" with '{certificate}'")}: {e.Message}", e);
        }
    }
}
