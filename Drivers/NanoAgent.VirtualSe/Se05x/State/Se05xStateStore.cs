using System.Text.Json;
using System.Text.Json.Serialization;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Se05x.State;

/// <summary>
/// Keeps the virtual SE05x's <see cref="Se05xState"/> as one JSON document, in a file (written atomically: temporary
/// file, flush to disk, rename) or in memory (the same bytes, for tests). A missing file is a fresh card; a corrupt one
/// is a <see cref="CardStateException"/> naming the file, never a silent reset. Power cuts armed in <see cref="Faults"/>
/// strike here, so a cut leaves the old document or the new one, never a torn one.
/// </summary>
public sealed class Se05xStateStore
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(), new HexBytesJsonConverter() },
    };

    private readonly int _freshAppletMajor;
    private byte[]? _memory;

    private Se05xStateStore(string? path, int freshAppletMajor)
    {
        Path = path is null ? null : System.IO.Path.GetFullPath(path);
        _freshAppletMajor = freshAppletMajor;
    }

    /// <summary>Gets the full path of the state file, or null for a store in memory.</summary>
    public string? Path { get; }

    /// <summary>Gets the power cuts to arm.</summary>
    public Se05xNvmFaults Faults { get; } = new();

    /// <summary>Gets how many documents were written (commits that reached the store, cut or not).</summary>
    public int Saves { get; private set; }

    /// <summary>The SE05x document kept next to a virtual SE state file: <c>se.json</c> → <c>se.se05x.json</c>.</summary>
    /// <param name="statePath">The <c>--state</c> file.</param>
    /// <returns>The SE05x state file.</returns>
    public static string FileFor(string statePath) => System.IO.Path.ChangeExtension(statePath, ".se05x.json");

    /// <summary>Creates a store for one file.</summary>
    /// <param name="path">The file; its folder is created on first save.</param>
    /// <param name="freshAppletMajor">The applet major version (3 or 7) of a fresh card when the file is missing.</param>
    /// <returns>The store.</returns>
    public static Se05xStateStore ForFile(string path, int freshAppletMajor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new Se05xStateStore(path, freshAppletMajor);
    }

    /// <summary>Creates a store held in memory (a fresh card until the first save).</summary>
    /// <param name="freshAppletMajor">The applet major version (3 or 7).</param>
    /// <returns>The store.</returns>
    public static Se05xStateStore InMemory(int freshAppletMajor) => new(null, freshAppletMajor);

    /// <summary>Loads the state; a missing document is a fresh card, saved at once.</summary>
    /// <returns>The state.</returns>
    /// <exception cref="CardStateException">The file cannot be read, is corrupt, or breaks a rule of the model.</exception>
    public Se05xState Load()
    {
        string name = Path ?? "(memory)";
        byte[]? json = Path is null ? _memory : ReadFile(Path);
        if (json is null)
        {
            Se05xState fresh = Se05xState.CreateFresh(_freshAppletMajor);
            Write(fresh);
            return fresh;
        }

        Se05xState? state;
        try
        {
            state = JsonSerializer.Deserialize<Se05xState>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new CardStateException(CardStateError.Corrupt, $"{name}: the SE05x card state is corrupt ({e.Message}); fix or delete it, it was left untouched", e);
        }

        if (state is null)
        {
            throw new CardStateException(CardStateError.Corrupt, $"{name}: the SE05x card state holds nothing (null)");
        }

        if (state.Version is < 1 or > Se05xState.CurrentVersion)
        {
            throw new CardStateException(CardStateError.UnsupportedVersion, $"{name}: SE05x card state schema version {state.Version}; this build reads version {Se05xState.CurrentVersion}");
        }

        if (state.Validate() is { } problem)
        {
            throw new CardStateException(CardStateError.Invalid, $"{name}: not a valid SE05x card state: {problem}");
        }

        return state;
    }

    /// <summary>Saves a state whole, or (when an armed power cut strikes) throws with the old or new document in place.</summary>
    /// <param name="state">The state to save.</param>
    /// <exception cref="Se05xPowerCutException">An armed power cut struck.</exception>
    /// <exception cref="CardStateException">The state is invalid or the file cannot be written.</exception>
    public void Save(Se05xState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Validate() is { } problem)
        {
            throw new CardStateException(CardStateError.Invalid, $"{Path ?? "(memory)"}: refusing to save an invalid SE05x card state: {problem}");
        }

        Saves++;
        if (Faults.Strikes())
        {
            if (Faults.Where == Se05xPowerCut.AfterWrite)
            {
                Write(state);
            }
            else if (Faults.Where == Se05xPowerCut.TornWrite && Path is not null)
            {
                // Half a temporary file, never renamed: the document in place stays the old one.
                byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(state, JsonOptions);
                File.WriteAllBytes(Path + ".torn.tmp", bytes[..(bytes.Length / 2)]);
            }

            throw new Se05xPowerCutException(Faults.Where);
        }

        Write(state);
    }

    private static byte[]? ReadFile(string path)
    {
        if (Directory.Exists(path))
        {
            throw new CardStateException(CardStateError.Io, $"{path}: is a directory, not an SE05x card state file");
        }

        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CardStateException(CardStateError.Io, $"{path}: cannot read the SE05x card state: {e.Message}", e);
        }
    }

    private void Write(Se05xState state)
    {
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(state, JsonOptions);
        if (Path is null)
        {
            _memory = bytes;
            return;
        }

        string temp = Path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // The temporary file is garbage either way; the write error is the one to report.
            }

            throw new CardStateException(CardStateError.Io, $"{Path}: cannot write the SE05x card state: {e.Message}", e);
        }
    }
}
