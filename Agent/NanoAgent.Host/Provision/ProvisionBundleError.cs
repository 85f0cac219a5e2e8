namespace NanoAgent.Host.Provision;

/// <summary>Why a provisioning bundle was refused (docs/provisioning.md §2). Nothing is sent for a refused bundle.</summary>
public enum ProvisionBundleError
{
    /// <summary>The file is not a bundle: bad JSON, a missing or ill-typed field, an undecodable request.</summary>
    Malformed = 1,

    /// <summary>An item's request does not hash to the item's SHA-256, or names another tenant, SD or script id.</summary>
    ItemMismatch = 2,

    /// <summary>The issuer's ECDSA P-256 signature does not verify with the given public key.</summary>
    BadSignature = 3,

    /// <summary>The bundle was made for another device.</summary>
    WrongDevice = 4,

    /// <summary>Two items of one tenant are not in strictly increasing tenant-counter order (the relay would refuse the later one).</summary>
    CounterOrder = 5,

    /// <summary>The issuer key file cannot be read as a P-256 public key in PEM.</summary>
    BadIssuerKey = 6,
}
