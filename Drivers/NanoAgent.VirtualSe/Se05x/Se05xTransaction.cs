using NanoAgent.VirtualSe.Se05x.State;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// The state one applet command works on: reads see the committed state until the command first changes something,
/// which clones it; the card then saves the clone whole (on success, or on failure when the command must record a failed
/// authentication attempt) or drops it. JCOP runs an applet command in one transaction; this is its stand-in.
/// </summary>
internal sealed class Se05xTransaction
{
    private readonly HashSet<uint> _touched = [];
    private Se05xState? _work;

    public Se05xTransaction(Se05xState committed)
    {
        Committed = committed;
    }

    /// <summary>Gets the state before the command.</summary>
    public Se05xState Committed { get; }

    /// <summary>Gets the state as the command sees it now.</summary>
    public Se05xState View => _work ?? Committed;

    /// <summary>Gets a value indicating whether the command changed anything.</summary>
    public bool Dirty => _work is not null;

    /// <summary>Gets or sets a value indicating whether the change is kept even though the command fails (an attempt counter).</summary>
    public bool CommitOnError { get; set; }

    /// <summary>Gets the objects written (created, changed or deleted), one NVM write each.</summary>
    public IReadOnlyCollection<uint> Touched => _touched;

    /// <summary>Gets the state to change, cloning the committed one the first time.</summary>
    public Se05xState Edit() => _work ??= Committed.Clone();

    /// <summary>Gets the changeable copy of an object (null when absent) and records the write.</summary>
    public Se05xObject? EditObject(uint id)
    {
        Se05xObject? o = Edit().Find(id);
        if (o is not null)
        {
            _touched.Add(id);
        }

        return o;
    }

    /// <summary>Adds a new object and records the write.</summary>
    public void Add(Se05xObject o)
    {
        Edit().Objects.Add(o);
        _touched.Add(o.Id);
    }

    /// <summary>Removes an object and records the write.</summary>
    public void Remove(uint id)
    {
        Edit().Objects.RemoveAll(o => o.Id == id);
        _touched.Add(id);
    }

    /// <summary>Adds this command's writes to the per-object and total counts of the state to save.</summary>
    public Se05xState Seal()
    {
        Se05xState work = Edit();
        foreach (uint id in _touched)
        {
            if (work.Find(id) is { } o)
            {
                o.Writes++;
            }
        }

        work.NvmWrites += Math.Max(1, _touched.Count);
        return work;
    }
}
