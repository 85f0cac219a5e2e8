using System.Text.Json;
using System.Text.Json.Serialization;

namespace NanoAgent.Host.Backend;

/// <summary>
/// What a tenant's backend remembers between runs (a small JSON file, default <c>~/.nanoagent/backend-&lt;tenant&gt;.json</c>):
/// the last tenant counter it sent (the relay refuses anything not greater, docs/protocol.md §4.1), and per device and SD
/// the last SCP03 sequence counter and i parameter the card showed, from which a batch session is pre-computed
/// (GP Amd D §6.2.2.1: the pseudo-random card challenge is derived from the counter and the SD AID).
/// </summary>
public sealed class BackendState
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private string? _path;

    /// <summary>Gets or sets the last tenant counter sent.</summary>
    [JsonPropertyName("tenantCounter")]
    public ulong TenantCounter { get; set; }

    /// <summary>Gets the card facts per <c>device/tenant/SD AID</c>.</summary>
    [JsonPropertyName("domains")]
    public Dictionary<string, DomainFacts> Domains { get; init; } = [];

    /// <summary>Returns the default state path of a tenant.</summary>
    /// <param name="tenant">The tenant id.</param>
    /// <returns>The path.</returns>
    public static string DefaultPath(string tenant) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nanoagent", $"backend-{tenant}.json");

    /// <summary>Loads the state, or starts empty when the file does not exist.</summary>
    /// <param name="path">The state file.</param>
    /// <returns>The state, bound to <paramref name="path"/> for <see cref="Save"/>.</returns>
    /// <exception cref="BackendException">The file exists but is not a backend state (exit code 2).</exception>
    public static BackendState Load(string path)
    {
        BackendState state;
        if (Directory.Exists(path))
        {
            throw new BackendException(2, $"{path}: is a directory, not a backend state file");
        }

        if (!File.Exists(path))
        {
            state = new BackendState();
        }
        else
        {
            try
            {
                state = JsonSerializer.Deserialize<BackendState>(File.ReadAllText(path), Json) ?? new BackendState();
            }
            catch (JsonException e)
            {
                throw new BackendException(2, $"{path}:{(e.LineNumber ?? 0) + 1}: not a backend state file; delete it to start again");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BackendException(2, $"{path}: cannot read the backend state file: {e.Message}");
            }
        }

        state._path = path;
        return state;
    }

    /// <summary>Returns the next tenant counter (greater than the last, and at least the Unix time, so a lost state file
    /// still yields counters the relay accepts) and saves it before it is used.</summary>
    /// <returns>The counter to send.</returns>
    public ulong NextTenantCounter()
    {
        // Unix seconds stay far inside the relay's counter window (2^32) from a fresh agent store.
        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        TenantCounter = Math.Max(TenantCounter + 1, now);
        Save();
        return TenantCounter;
    }

    /// <summary>Returns what is known of an SD, or null.</summary>
    /// <param name="key">The key from <see cref="Key"/>.</param>
    /// <returns>The facts, or null.</returns>
    public DomainFacts? Find(string key) => Domains.GetValueOrDefault(key);

    /// <summary>Records the sequence counter and i parameter an INITIALIZE UPDATE response showed, and saves.</summary>
    /// <param name="key">The key from <see cref="Key"/>.</param>
    /// <param name="sequenceCounter">The counter of that session.</param>
    /// <param name="iParameter">The card's i parameter.</param>
    public void Record(string key, int sequenceCounter, byte iParameter)
    {
        Domains[key] = new DomainFacts { SequenceCounter = sequenceCounter, IParameter = iParameter };
        Save();
    }

    /// <summary>Returns the key of one SD of one tenant on one device.</summary>
    /// <param name="device">The device id.</param>
    /// <param name="tenant">The tenant id.</param>
    /// <param name="sd">The SD AID.</param>
    /// <returns>The key.</returns>
    public static string Key(string device, string tenant, byte[] sd) => $"{device}/{tenant}/{Convert.ToHexString(sd)}";

    /// <summary>Writes the state to its file (through a temporary file, so a crash never leaves half a file).</summary>
    public void Save()
    {
        if (_path is null)
        {
            return;
        }

        string? dir = Path.GetDirectoryName(Path.GetFullPath(_path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        string temp = _path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, _path, overwrite: true);
    }

    /// <summary>What the backend last saw of one SD.</summary>
    public sealed class DomainFacts
    {
        /// <summary>Gets or sets the SCP03 sequence counter of the last session seen.</summary>
        [JsonPropertyName("sequenceCounter")]
        public int SequenceCounter { get; set; }

        /// <summary>Gets or sets the card's i parameter (GP Amd D §7.1.1: S16, pseudo-random challenge, R-MAC, R-ENC).</summary>
        [JsonPropertyName("iParameter")]
        public byte IParameter { get; set; }
    }
}
