using NanoAgent.Agent.Tenants;

namespace NanoAgent.Agent.Status
{
    /// <summary>Reads a tenant's security domain key information (see <see cref="ApduKeyInfoSource"/>).</summary>
    public interface IKeyInfoSource
    {
        /// <summary>Reads the key information of a tenant's SD.</summary>
        /// <param name="tenant">The tenant.</param>
        /// <param name="info">Receives what was read; cleared first.</param>
        /// <returns>The status word: '9000' when at least the key information template was read.</returns>
        ushort Read(Tenant tenant, SdKeyInfo info);
    }
}
