using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BacklogFunctions.Testing;

/// <summary>
/// A real Azurite (the pinned npm package in tools/azurite, installed on first use) on free 127.0.0.1 ports,
/// started with node directly, telemetry off and the API version check skipped. In memory by default; on disk
/// when a test needs to stop and restart it without losing data.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>Azurite's fixed, publicly documented development account (not a secret).</summary>
    private const string Account = "devstoreaccount1";
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    private readonly bool _inMemory;
    private readonly string _workspace;
    private Process? _process;

    private AzuriteServer(bool inMemory)
    {
        _inMemory = inMemory;
        _workspace = Directory.CreateTempSubdirectory("azurite-").FullName;
        BlobPort = FreePort();
        QueuePort = FreePort();
        TablePort = FreePort();
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={DevelopmentKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{Account};QueueEndpoint=http://127.0.0.1:{QueuePort}/{Account};TableEndpoint=http://127.0.0.1:{TablePort}/{Account};";

    public static async Task<AzuriteServer> StartAsync(bool inMemory = true, CancellationToken cancellationToken = default)
    {
        var server = new AzuriteServer(inMemory);
        await server.RunAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>Stops the server: gracefully (SIGTERM, Azurite saves its data) or by killing it.</summary>
    public async Task StopAsync(bool graceful = false)
    {
        if (_process is { HasExited: false } process)
        {
            if (graceful)
            {
                using var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false });
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            else
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts again on the same ports (and, on disk, with the same data).</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) => RunAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_workspace, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is not worth failing a test run for.
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var script = await EnsureInstalledAsync(cancellationToken).ConfigureAwait(false);
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _workspace,
        };
        foreach (var argument in new[]
                 {
                     script, "--blobHost", "127.0.0.1", "--blobPort", $"{BlobPort}", "--queueHost", "127.0.0.1", "--queuePort", $"{QueuePort}",
                     "--tableHost", "127.0.0.1", "--tablePort", $"{TablePort}", "--disableTelemetry", "--skipApiVersionCheck", "--silent",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        // In memory, or on disk in a folder of this server's own (Azurite refuses both at once).
        start.ArgumentList.Add(_inMemory ? "--inMemoryPersistence" : "--location");
        if (!_inMemory)
        {
            start.ArgumentList.Add(_workspace);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");

        // Never outlive the test run, even when a fixture is not disposed.
        var started = _process;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                started.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        };
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (!await IsListeningAsync(port, cancellationToken).ConfigureAwait(false))
            {
                if (_process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"Azurite did not listen on 127.0.0.1:{port} (exit code {(_process.HasExited ? _process.ExitCode : -1)})");
                }

                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<string> EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Repository.Root, "tools", "azurite");
        var script = Path.Combine(folder, "node_modules", "azurite", "dist", "src", "azurite.js");
        await InstallLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!File.Exists(script))
            {
                using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--prefix", folder]) { UseShellExecute = false })
                    ?? throw new InvalidOperationException("npm did not start");
                await npm.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                if (npm.ExitCode != 0 || !File.Exists(script))
                {
                    throw new InvalidOperationException($"npm ci in {folder} failed with exit code {npm.ExitCode}");
                }
            }
        }
        finally
        {
            InstallLock.Release();
        }

        return script;
    }

    private static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
