using System.Collections;

namespace NanoAgent.Agent.Gating
{
    /// <summary>The tenants of a device that own a gate in the SE, each with its <see cref="IReadingGate"/>.</summary>
    public sealed class GateTenants
    {
        private readonly ArrayList _ids = new ArrayList();
        private readonly ArrayList _gates = new ArrayList();

        /// <summary>Gets the number of tenants.</summary>
        public int Count
        {
            get { return _ids.Count; }
        }

        /// <summary>Adds a tenant or replaces its gate.</summary>
        /// <param name="tenant">Tenant id (no '/', '+' or '#').</param>
        /// <param name="gate">Its gate.</param>
        public void Add(string tenant, IReadingGate gate)
        {
            int i = _ids.IndexOf(tenant);
            if (i >= 0)
            {
                _gates[i] = gate;
                return;
            }

            _ids.Add(tenant);
            _gates.Add(gate);
        }

        /// <summary>Gets a tenant's gate.</summary>
        /// <param name="tenant">Tenant id.</param>
        /// <returns>The gate, or null.</returns>
        public IReadingGate Find(string tenant)
        {
            int i = _ids.IndexOf(tenant);
            return i < 0 ? null : (IReadingGate)_gates[i];
        }

        /// <summary>Gets the tenant id at an index.</summary>
        /// <param name="index">0 to <see cref="Count"/> - 1.</param>
        /// <returns>The id.</returns>
        public string IdAt(int index)
        {
            return (string)_ids[index];
        }
    }
}
