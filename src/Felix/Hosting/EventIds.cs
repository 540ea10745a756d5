namespace RoutedNet.Felix.Hosting;

/// <summary>
/// Every log event id of the agent, in one place so ids stay unique and stable for log queries.
/// Ranges: 1xx hosting, 2xx reconcilers, 3xx datastore, 4xx BGP, 5xx API, 6xx install and uninstall.
/// </summary>
internal static class EventIds
{
    public const int Starting = 100;
    public const int ConfigLoaded = 101;
    public const int Stopping = 102;
    public const int ApiListening = 103;
    public const int HealthListening = 104;

    public const int ReconcileFailed = 200;
    public const int ReconcileRecovered = 201;
    public const int ReconcilerReady = 202;
    public const int RouteConflict = 203;
    public const int PolicyCommitted = 210;
    public const int PolicyProblem = 211;
    public const int PolicyWaitTimedOut = 212;
    public const int ConntrackRevoked = 213;
    public const int ConntrackRevokeFailed = 214;
    public const int ConntrackRestored = 215;

    public const int DatastoreSynced = 300;
    public const int DatastoreWatchFailed = 301;
    public const int NodeRegistered = 302;
    public const int NodeAddressChosen = 303;
    public const int BadResourceIgnored = 304;
    public const int NodeRestored = 305;
    public const int LocalAttachmentsFailed = 310;
    public const int PeerSecretFailed = 311;
    public const int PeerSecretRead = 312;

    public const int PeerStateChanged = 400;
    public const int BgpBackendStarted = 401;
    public const int BgpRestartSweep = 402;
    public const int BgpShutdown = 403;
    public const int BgpConfigFailed = 404;
    public const int BgpIdentityChanged = 405;
    public const int BgpStartFailed = 410;
    public const int BgpDrain = 420;
    public const int BgpGracefulShutdown = 421;
    public const int BgpDrainWithdraw = 422;
    public const int BgpDrainUndone = 423;
    public const int BgpStayDrained = 424;

    public const int CniQueuedReleaseDone = 500;
    public const int CniQueuedReleaseCorrupt = 501;
    public const int CniCallFailed = 502;
    public const int CniQueueDrainFailed = 503;
    public const int CniVethDeleteFailed = 504;
    public const int CniRegisterAtAllocationFailed = 505;

    public const int ConflistWritten = 600;
    public const int ConflistFailed = 601;
    public const int UninstallDetected = 610;
    public const int UninstallNotDetected = 611;
    public const int UninstallCheckFailed = 612;
    public const int UninstallNotArmed = 613;
    public const int UninstallArmed = 614;
    public const int UninstallFollowed = 615;

    public const int BfdStateChanged = 620;
    public const int BfdPathDown = 621;
    public const int BfdTakenAsRestart = 622;
    public const int BfdFailed = 623;
}
