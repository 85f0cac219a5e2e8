using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Host.Keys;

/// <summary>
/// Per-device keys diversified (<see cref="Kdf3Diversification"/>) inside a PKCS #11 token: each KDF block is a C_Sign with
/// CKM_AES_CMAC and the master key, so only CMAC values leave the token. One AES master key serves Key-ENC, Key-MAC and
/// Key-DEK (GlobalPlatformPro's single master key); it must be sensitive and not extractable, or it is refused. One session,
/// used under a lock: safe from many threads.
/// </summary>
public sealed class Pkcs11MasterKeySource : IDeviceKeySource
{
    private readonly Pkcs11Module _module;
    private readonly ISession _session;
    private readonly ulong _slotId;
    private readonly IObjectHandle _key;
    private readonly IMechanism _cmac;
    private readonly object _gate = new();
    private bool _disposed;

    private Pkcs11MasterKeySource(Pkcs11Module module, ISession session, ulong slotId, IObjectHandle key, int keyLength, string description)
    {
        _module = module;
        _session = session;
        _slotId = slotId;
        _key = key;
        _cmac = session.Factories.MechanismFactory.Create(CKM.CKM_AES_CMAC);
        KeyLength = keyLength;
        Description = description;
    }

    /// <summary>Gets the master key's length in bytes (the derived keys' too).</summary>
    public int KeyLength { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>Opens the master key a URI names: loads the module, finds the token, logs in, finds the key and checks it.</summary>
    /// <param name="uri">The URI: <c>module-path</c>, a token (<c>token</c>, <c>serial</c>, <c>slot-id</c>, ...) and the key (<c>object</c> and/or <c>id</c>).</param>
    /// <param name="pin">The user PIN (from the URI's <c>pin-source</c> or <c>pin-value</c>; the caller reads it).</param>
    /// <returns>The source; dispose it to close the session.</returns>
    /// <exception cref="MasterKeyException">A missing module, token or key, a wrong PIN, or a key that is not a sensitive,
    /// non-extractable AES key allowed to sign (<see cref="MasterKeyError.BadInput"/>); the token not answering
    /// (<see cref="MasterKeyError.Unavailable"/>).</exception>
    public static Pkcs11MasterKeySource Open(Pkcs11Uri uri, string pin)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(pin);
        string path = uri.ModulePath ?? throw Bad(uri.ModuleName is null
            ? "the URI names no module: add ?module-path=/path/to/module.so"
            : "module-name is not supported: give ?module-path=/path/to/module.so");
        if (uri.Type is not (null or "secret-key"))
        {
            throw Bad($"the master key is a secret key, not type={uri.Type}");
        }

        if (uri.Object is null && uri.Id is null)
        {
            throw Bad("the URI names no key: add object=LABEL (or id=...) to its path");
        }

        Pkcs11Module module = Pkcs11Module.Acquire(path);
        ISession? session = null;
        ulong slotId = 0;
        bool loggedIn = false;
        try
        {
            ISlot slot = Pkcs11TokenMatch.FindSlot(module.Library, uri, path);
            slotId = slot.SlotId;
            string token = slot.GetTokenInfo().Label;
            if (!slot.GetMechanismList().Contains(CKM.CKM_AES_CMAC))
            {
                throw Bad($"token '{token}' has no CKM_AES_CMAC: the diversification needs it");
            }

            session = slot.OpenSession(SessionType.ReadOnly);
            try
            {
                module.Login(session, slotId, pin);
                loggedIn = true;
            }
            catch (Pkcs11Exception e)
            {
                throw Bad(LoginProblem(e.RV, token), e);
            }

            (IObjectHandle key, int length, string details) = FindKey(session, uri, token);
            var source = new Pkcs11MasterKeySource(module, session, slotId, key, length,
                $"{Kdf3Diversification.Name}, master key {details} in PKCS #11 token '{token}' of {path}: derived inside the token");
            source.SelfTest(token);
            return source;
        }
        catch (Exception e)
        {
            if (session is not null)
            {
                module.Close(session, slotId, loggedIn);
            }

            module.Release();
            if (e is Pkcs11Exception p11)
            {
                throw new MasterKeyException(MasterKeyError.Unavailable, $"the PKCS #11 module '{path}' failed: {p11.Method} returned {p11.RV}", p11);
            }

            throw;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The data is not 10 bytes.</exception>
    /// <exception cref="MasterKeyException">The token stopped answering or refused the key.</exception>
    public Scp03StaticKeys KeysFor(byte keyVersion, byte[] diversificationData)
    {
        Kdf3Diversification.CheckData(diversificationData);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Kdf3Diversification.DeriveKeySet(BouncyCastleAesFactory.Instance, keyVersion, diversificationData, KeyLength, (_, input) => Sign(input));
        }
    }

    /// <summary>Closes the session (and the token's login with the process's last session) and releases the module.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _module.Close(_session, _slotId, loggedIn: true);
            _module.Release();
        }
    }

    private static (IObjectHandle Key, int Length, string Details) FindKey(ISession session, Pkcs11Uri uri, string token)
    {
        var a = session.Factories.ObjectAttributeFactory;
        var search = new List<IObjectAttribute> { a.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY) };
        if (uri.Object is { } label)
        {
            search.Add(a.Create(CKA.CKA_LABEL, label));
        }

        if (uri.Id is { } id)
        {
            search.Add(a.Create(CKA.CKA_ID, id));
        }

        string named = uri.Object is null ? $"with id {Convert.ToHexString(uri.Id!)}" : $"'{uri.Object}'";
        List<IObjectHandle> found = session.FindAllObjects(search);
        if (found.Count == 0)
        {
            throw Bad($"no secret key {named} in token '{token}'");
        }

        if (found.Count > 1)
        {
            throw Bad($"{found.Count} secret keys {named} in token '{token}': name one with object= and id=");
        }

        List<IObjectAttribute> values = session.GetAttributeValue(found[0],
            [CKA.CKA_KEY_TYPE, CKA.CKA_VALUE_LEN, CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE, CKA.CKA_SIGN, CKA.CKA_CHECK_VALUE]);
        if (values[0].CannotBeRead || values[0].GetValueAsUlong() != (ulong)CKK.CKK_AES)
        {
            throw Bad($"key {named} in token '{token}' is not an AES key");
        }

        int length = values[1].CannotBeRead ? 0 : (int)values[1].GetValueAsUlong();
        if (length is not (16 or 24 or 32))
        {
            throw Bad($"key {named} in token '{token}' is not 16, 24 or 32 bytes long");
        }

        if (values[2].CannotBeRead || !values[2].GetValueAsBool() || values[3].CannotBeRead || values[3].GetValueAsBool())
        {
            throw Bad($"key {named} in token '{token}' can leave the token (CKA_SENSITIVE false or CKA_EXTRACTABLE true): a master key must be sensitive and not extractable");
        }

        if (values[4].CannotBeRead || !values[4].GetValueAsBool())
        {
            throw Bad($"key {named} in token '{token}' may not sign (CKA_SIGN false): AES-CMAC needs it");
        }

        string check = values[5].CannotBeRead || values[5].GetValueAsByteArray() is not { Length: > 0 } cv ? string.Empty : $", CKA_CHECK_VALUE {Convert.ToHexString(cv)}";
        return (found[0], length, $"{named} (AES-{length * 8}{check})");
    }

    private static string LoginProblem(CKR rv, string token) => rv switch
    {
        CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_LEN_RANGE => $"wrong PIN for token '{token}' ({rv})",
        CKR.CKR_PIN_LOCKED => $"the user PIN of token '{token}' is locked ({rv}): unlock it with the SO PIN",
        CKR.CKR_USER_PIN_NOT_INITIALIZED => $"token '{token}' has no user PIN yet ({rv}): initialise it",
        _ => $"cannot log in to token '{token}': C_Login returned {rv}",
    };

    private static MasterKeyException Bad(string message, Exception? inner = null) => new(MasterKeyError.BadInput, message, inner);

    private void SelfTest(string token)
    {
        try
        {
            Sign(new byte[Kdf3Diversification.InputLength]);
        }
        catch (MasterKeyException e) when (e.Error == MasterKeyError.Unavailable)
        {
            throw Bad($"token '{token}' does not compute AES-CMAC with the key: {e.Message}", e);
        }
    }

    private byte[] Sign(byte[] input)
    {
        try
        {
            return _session.Sign(_cmac, _key, input);
        }
        catch (Pkcs11Exception e)
        {
            throw new MasterKeyException(MasterKeyError.Unavailable, $"the PKCS #11 token failed: C_Sign returned {e.RV}", e);
        }
    }
}
