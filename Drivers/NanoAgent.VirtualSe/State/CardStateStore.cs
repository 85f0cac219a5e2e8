using System.Text.Json;
using System.Text.Json.Serialization;

namespace NanoAgent.VirtualSe.State;

/// <summary>
/// Loads and saves a <see cref="CardState"/> as JSON at a path the caller gives. Saving is atomic (write a temporary
/// file in the same folder, flush it to disk, rename over the target), so a crash leaves the old or the new state,
/// never half of one. A missing file means a fresh card; a corrupt file is an error, never a silent reset.
/// </summary>
public sealed class CardStateStore
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(), new HexBytesJsonConverter() },
    };

    private readonly Func<CardState> _createFresh;

    /// <summary>Creates a store for one file.</summary>
    /// <param name="path">The state file; its folder is created on first save.</param>
    /// <param name="createFresh">Makes the state of a fresh card when the file is missing; default <see cref="CardState.CreateFresh"/>.</param>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    public CardStateStore(string path, Func<CardState>? createFresh = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _createFresh = createFresh ?? (() => CardState.CreateFresh());
    }

    /// <summary>Gets the full path of the state file.</summary>
    public string Path { get; }

    /// <summary>Loads the state; when the file does not exist, creates a fresh card and saves it.</summary>
    /// <returns>The state.</returns>
    /// <exception cref="CardStateException">The file cannot be read, is not a card state, or breaks a rule of the model.</exception>
    public CardState Load()
    {
        if (Directory.Exists(Path))
        {
            throw new CardStateException(CardStateError.Io, $"The card state file '{Path}' is a directory, not a card state file.");
        }

        if (!File.Exists(Path))
        {
            CardState fresh = _createFresh();
            Save(fresh);
            return fresh;
        }

        byte[] json;
        try
        {
            json = File.ReadAllBytes(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CardStateException(CardStateError.Io, $"Cannot read the card state file '{Path}': {e.Message}", e);
        }

        CardState? state;
        try
        {
            state = JsonSerializer.Deserialize<CardState>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new CardStateException(
                CardStateError.Corrupt,
                $"The card state file '{Path}' is corrupt ({e.Message}). Fix or delete it; it was left untouched.",
                e);
        }

        if (state is null)
        {
            throw new CardStateException(CardStateError.Corrupt, $"The card state file '{Path}' holds no card state (null).");
        }

        if (state.Version > CardState.CurrentVersion || state.Version < 1)
        {
            throw new CardStateException(
                CardStateError.UnsupportedVersion,
                $"The card state file '{Path}' has schema version {state.Version}; this build reads version {CardState.CurrentVersion}.");
        }

        if (state.Validate() is { } problem)
        {
            throw new CardStateException(CardStateError.Invalid, $"The card state file '{Path}' is not a valid card: {problem}.");
        }

        return state;
    }

    /// <summary>Saves the state atomically.</summary>
    /// <param name="state">The state to save.</param>
    /// <exception cref="CardStateException">The state breaks a rule of the model, or the file cannot be written.</exception>
    public void Save(CardState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Validate() is { } problem)
        {
            throw new CardStateException(CardStateError.Invalid, $"Refusing to save an invalid card state to '{Path}': {problem}.");
        }

        string temp = Path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, state, JsonOptions);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new CardStateException(CardStateError.Io, $"Cannot write the card state file '{Path}': {e.Message}", e);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The temporary file is garbage either way; the original error is the one to report.
        }
    }
}
