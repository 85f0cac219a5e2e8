using System.Linq;

namespace Probe
{
    internal static class UsesLinq
    {
        internal static object Run()
        {
            return new int[1].Where(x => x > 0);
        }
    }
}
