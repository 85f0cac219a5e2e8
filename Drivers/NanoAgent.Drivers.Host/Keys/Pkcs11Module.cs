using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace NanoAgent.Drivers.Host.Keys;

/// <summary>
/// A PKCS #11 module loaded once per process and shared: C_Initialize and C_Finalize are process-wide (PKCS #11 v2.40
/// §5.4), so a second load would share the first one's state and its C_Finalize would end every other user's sessions.
/// It also keeps one login per token: the login state belongs to the application, not the session (§5.6), so a second
/// user of a logged-in token gets CKR_USER_ALREADY_LOGGED_IN; its PIN is then compared with the one that logged in.
/// </summary>
internal sealed class Pkcs11Module
{
    private static readonly Dictionary<string, Pkcs11Module> Loaded = new(StringComparer.Ordinal);
    private static readonly object LoadGate = new();
    private static bool _resolverSet;

    private readonly string _path;
    private readonly Dictionary<ulong, (int Sessions, byte[] PinHash)> _logins = [];
    private int _users;

    private Pkcs11Module(string path, IPkcs11Library library)
    {
        _path = path;
        Library = library;
    }

    /// <summary>Gets the loaded library.</summary>
    public IPkcs11Library Library { get; }

    /// <summary>Loads a module, or shares the one loaded.</summary>
    /// <param name="path">The module's absolute path.</param>
    /// <returns>The module; <see cref="Release"/> it when done.</returns>
    /// <exception cref="MasterKeyException">The path is not absolute, the file is missing or is not a PKCS #11 module.</exception>
    public static Pkcs11Module Acquire(string path)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            throw new MasterKeyException(MasterKeyError.BadInput, $"module-path '{path}' is not an absolute path");
        }

        if (!File.Exists(path))
        {
            throw new MasterKeyException(MasterKeyError.BadInput, $"PKCS #11 module '{path}' not found");
        }

        lock (LoadGate)
        {
            if (!Loaded.TryGetValue(path, out Pkcs11Module? module))
            {
                SetResolver();
                var factories = new Pkcs11InteropFactories();
                try
                {
                    module = new Pkcs11Module(path, factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, path, AppType.MultiThreaded));
                }
                catch (Pkcs11Exception e)
                {
                    throw new MasterKeyException(MasterKeyError.BadInput, $"PKCS #11 module '{path}' does not start: {e.Method} returned {e.RV} (check its configuration)", e);
                }
                catch (Exception e) when (e is UnmanagedException or DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
                {
                    throw new MasterKeyException(MasterKeyError.BadInput, $"'{path}' cannot be loaded as a PKCS #11 module: {OneLine(e.Message)}", e);
                }

                Loaded.Add(path, module);
            }

            module._users++;
            return module;
        }
    }

    /// <summary>Logs the user in to a token once for the process, or checks the PIN against the login already made.</summary>
    /// <param name="session">A session with the token.</param>
    /// <param name="slotId">The token's slot.</param>
    /// <param name="pin">The user PIN.</param>
    /// <exception cref="Pkcs11Exception">C_Login failed (e.g. CKR_PIN_INCORRECT), or the PIN differs from the one that logged in (CKR_PIN_INCORRECT).</exception>
    public void Login(ISession session, ulong slotId, string pin)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(pin));
        lock (_logins)
        {
            if (_logins.TryGetValue(slotId, out var login))
            {
                if (!CryptographicOperations.FixedTimeEquals(hash, login.PinHash))
                {
                    throw new Pkcs11Exception("C_Login", CKR.CKR_PIN_INCORRECT);
                }

                _logins[slotId] = (login.Sessions + 1, login.PinHash);
                return;
            }

            try
            {
                session.Login(CKU.CKU_USER, pin);
            }
            catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
            {
                // Logged in outside this class (another library in the process): nothing to compare the PIN with.
            }

            _logins[slotId] = (1, hash);
        }
    }

    /// <summary>Closes a session; the token's login ends with its last session (PKCS #11 §5.6).</summary>
    /// <param name="session">The session.</param>
    /// <param name="slotId">Its slot.</param>
    /// <param name="loggedIn">True when <see cref="Login"/> succeeded for it.</param>
    public void Close(ISession session, ulong slotId, bool loggedIn)
    {
        lock (_logins)
        {
            try
            {
                session.Dispose();
            }
            catch (Pkcs11Exception)
            {
                // The token is gone: its sessions are gone with it.
            }

            if (loggedIn && _logins.TryGetValue(slotId, out var login))
            {
                if (login.Sessions <= 1)
                {
                    _logins.Remove(slotId);
                }
                else
                {
                    _logins[slotId] = (login.Sessions - 1, login.PinHash);
                }
            }
        }
    }

    /// <summary>Drops this user; the last one finalizes and unloads the module.</summary>
    public void Release()
    {
        lock (LoadGate)
        {
            if (--_users > 0)
            {
                return;
            }

            Loaded.Remove(_path);
            try
            {
                Library.Dispose();
            }
            catch (Pkcs11Exception)
            {
                // C_Finalize failing leaves nothing for us to do.
            }
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static void SetResolver()
    {
        if (_resolverSet)
        {
            return;
        }

        _resolverSet = true;
        try
        {
            // Pkcs11Interop imports dlopen from "libdl"; glibc 2.34+ ships only libdl.so.2 (its functions moved into libc).
            NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // The application set its own resolver for the assembly.
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name == "libdl" && OperatingSystem.IsLinux())
        {
            foreach (string candidate in new[] { "libdl.so.2", "libc.so.6" })
            {
                if (NativeLibrary.TryLoad(candidate, out IntPtr handle))
                {
                    return handle;
                }
            }
        }

        return IntPtr.Zero;
    }
}
