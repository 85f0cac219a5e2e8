using System;

namespace Probe
{
    internal static class UsesMath
    {
        internal static int Run(int a, int b)
        {
            return Math.Min(a, b);
        }
    }
}
