using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Api;
using RoutedNet.KubeApiServer.Storage;

namespace RoutedNet.KubeApiServer;

/// <summary>
/// What a fresh cluster already holds: the four system namespaces with their "default" service
/// accounts, cluster-admin bound to system:masters, and system:discovery (the discovery and
/// /version paths) bound to every authenticated user, as kube-apiserver's RBAC bootstrap does.
/// </summary>
public static class Bootstrap
{
    public static void Seed(ServerState state)
    {
        var now = state.Time.GetUtcNow();
        var store = state.Store;
        JsonObject Make(string apiVersion, string kind, string name, string? ns = null)
        {
            var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = name } };
            if (ns is not null)
            {
                obj["metadata"]!["namespace"] = ns;
            }
            return obj;
        }
        void Put(string group, string plural, JsonObject obj, string? ns = null)
        {
            var type = state.Registry.Find(group, "v1", plural)!;
            ObjectRules.PrepareCreate(type, ns, obj, now);
            store.Put(type, ObjectStore.KeyOf(ns, ObjectRules.Name(obj)!), obj);
        }
        lock (store.Gate)
        {
            foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
            {
                Put("", "namespaces", Make("v1", "Namespace", ns));
                Put("", "serviceaccounts", Make("v1", "ServiceAccount", "default", ns), ns);
            }
            const string rbac = "rbac.authorization.k8s.io";
            var admin = Make(rbac + "/v1", "ClusterRole", "cluster-admin");
            admin["rules"] = JsonNode.Parse("""
                [{"apiGroups":["*"],"resources":["*"],"verbs":["*"]},{"nonResourceURLs":["*"],"verbs":["*"]}]
                """);
            Put(rbac, "clusterroles", admin);
            var discovery = Make(rbac + "/v1", "ClusterRole", "system:discovery");
            discovery["rules"] = JsonNode.Parse("""
                [{"nonResourceURLs":["/api","/api/*","/apis","/apis/*","/healthz","/livez","/openapi","/openapi/*","/readyz","/version","/version/"],"verbs":["get"]}]
                """);
            Put(rbac, "clusterroles", discovery);
            var adminBinding = Make(rbac + "/v1", "ClusterRoleBinding", "cluster-admin");
            adminBinding["roleRef"] = JsonNode.Parse("""{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"}""");
            adminBinding["subjects"] = JsonNode.Parse("""[{"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":"system:masters"}]""");
            Put(rbac, "clusterrolebindings", adminBinding);
            var discoveryBinding = Make(rbac + "/v1", "ClusterRoleBinding", "system:discovery");
            discoveryBinding["roleRef"] = JsonNode.Parse("""{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"system:discovery"}""");
            discoveryBinding["subjects"] = JsonNode.Parse("""[{"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":"system:authenticated"}]""");
            Put(rbac, "clusterrolebindings", discoveryBinding);
        }
    }
}
