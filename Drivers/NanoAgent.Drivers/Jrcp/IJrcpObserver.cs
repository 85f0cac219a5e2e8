namespace NanoAgent.Drivers.Jrcp
{
    /// <summary>Hears what a JRCP session does, one line per event (a bad message, a dropped client, a released lock).</summary>
    public interface IJrcpObserver
    {
        /// <summary>Reports one event.</summary>
        /// <param name="line">One line of plain words.</param>
        void Event(string line);
    }
}
