using System;
using System.Collections;

namespace Probe
{
    internal static class UsesAllowedApis
    {
        internal static int Run(byte[] source)
        {
            var copy = new byte[source.Length];
            Array.Copy(source, 0, copy, 0, source.Length);
            var list = new ArrayList();
            for (int i = 0; i < copy.Length; i++)
            {
                if (copy[i] > 0)
                {
                    list.Add(copy[i]);
                }
            }

            return list.Count + "x".Length;
        }
    }
}
