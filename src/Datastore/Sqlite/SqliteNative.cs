using System.Reflection;
using System.Runtime.InteropServices;

namespace RoutedNet.Datastore.Sqlite;

/// <summary>
/// Points SQLitePCLRaw at the system libsqlite3. Its provider imports "sqlite3", which the loader
/// finds as libsqlite3.so — a symlink only the -dev package ships; nodes have libsqlite3.so.0.
/// Microsoft.Data.Sqlite would find the bundle by reflection, which NativeAOT trims: init explicitly.
/// </summary>
internal static class SqliteNative
{
    private static readonly Lazy<bool> Initialised = new(Initialise);

    public static void EnsureInitialised() => _ = Initialised.Value;

    private static bool Initialise()
    {
        NativeLibrary.SetDllImportResolver(typeof(SQLitePCL.SQLite3Provider_sqlite3).Assembly, Resolve);
        SQLitePCL.Batteries_V2.Init();
        return true;
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != "sqlite3")
        {
            return IntPtr.Zero;
        }
        foreach (var candidate in (ReadOnlySpan<string>)["libsqlite3.so.0", "libsqlite3.so", "sqlite3"])
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
            {
                return handle;
            }
        }
        return IntPtr.Zero;
    }
}
