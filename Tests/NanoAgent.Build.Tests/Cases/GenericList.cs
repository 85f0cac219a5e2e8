namespace Probe
{
    internal static class UsesList
    {
        internal static int Run()
        {
            var list = new System.Collections.Generic.List<int>();
            list.Add(1);
            return list.Count;
        }
    }
}
