using System.CommandLine;
using System.Globalization;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Gp;

/// <summary>The options of commands that open an SCP03 session: --sd, --keys, --level, --s16, and the safety pair --yes / --dry-run.</summary>
public sealed class GpOptions
{
    /// <summary>Gets the security domain option.</summary>
    public Option<string> Sd { get; } = new("--sd")
    {
        Description = "AID of the security domain to open the session to (default: the ISD A000000151000000)",
        DefaultValueFactory = _ => Convert.ToHexString(CardState.DefaultIsdAid),
    };

    /// <summary>Gets the key file option.</summary>
    public Option<string> Keys { get; } = new("--keys")
    {
        Description = "SCP03 key file (JSON kvn/enc/mac/dek, mode 600), or 'default' for the GP test keys 40..4F, KVN FF",
        Required = true,
    };

    /// <summary>Gets the security level option.</summary>
    public Option<string> Level { get; } = new("--level")
    {
        Description = "security level in hex: 01 C-MAC, 03 +C-DEC, 11/13 +R-MAC, 33 +R-ENC (GP Amd D §7.1.2.1)",
        DefaultValueFactory = _ => "33",
    };

    /// <summary>Gets the S16 option.</summary>
    public Option<bool> S16 { get; } = new("--s16") { Description = "S16 mode: 16-byte challenges, cryptograms and MACs (the virtual SE is switched to S16)" };

    /// <summary>Gets the confirmation option.</summary>
    public Option<bool> Yes { get; } = new("--yes") { Description = "confirm an irreversible operation" };

    /// <summary>Gets the dry-run option.</summary>
    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "print the APDUs, clear and wrapped, and send nothing" };

    /// <summary>Gets the sequence counter a dry run assumes.</summary>
    public Option<int> Counter { get; } = new("--counter")
    {
        Description = "with --dry-run: the card's next sequence counter, for wrapping offline (GP Amd D §6.2.2.1)",
        DefaultValueFactory = _ => 1,
    };

    /// <summary>Gets the JSON option: the outcome as the envelope (docs/json.md) instead of text.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "print the outcome as JSON (docs/json.md)" };

    /// <summary>Adds the session options to a command.</summary>
    /// <param name="command">The command.</param>
    /// <param name="safety">True to add --yes, --dry-run and --counter too.</param>
    public void AddTo(Command command, bool safety)
    {
        command.Add(Sd);
        command.Add(Keys);
        command.Add(Level);
        command.Add(S16);
        command.Add(Json);
        if (safety)
        {
            command.Add(Yes);
            command.Add(DryRun);
            command.Add(Counter);
        }
    }

    /// <summary>Reads the session settings.</summary>
    /// <param name="parse">The parse result.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="FormatException">The AID or the level is malformed.</exception>
    /// <exception cref="Drivers.Host.Keys.PlatformKeyStoreException">The key file is unusable.</exception>
    public GpSettings Read(ParseResult parse)
    {
        string levelText = parse.GetValue(Level) ?? "33";
        if (!byte.TryParse(levelText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte level)
            || level is not (0x01 or 0x03 or 0x11 or 0x13 or 0x33))
        {
            throw new FormatException($"'{levelText}' is not a security level: use 01, 03, 11, 13 or 33");
        }

        return new GpSettings(GpKeyFiles.ParseAid(parse.GetValue(Sd)!), GpKeyFiles.Load(parse.GetValue(Keys)!), level, parse.GetValue(S16));
    }
}
