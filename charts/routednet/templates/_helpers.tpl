{{/*
Names other programs rely on (docs/DESIGN.md "Contracts"): the DaemonSet, its ServiceAccount,
ClusterRole and bindings are all routednet-node, not prefixed with the release: the agent and its
uninstall detection look for them by these names.
*/}}
{{- define "routednet.nodeName" -}}routednet-node{{- end -}}

{{- define "routednet.labels" -}}
app.kubernetes.io/name: routednet
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "routednet.nodeLabels" -}}
{{ include "routednet.labels" . }}
app.kubernetes.io/component: node
{{- end -}}

{{/*
The post-delete hook's Job, ServiceAccount, ClusterRole and binding (templates/uninstall-*.yaml):
routednet-uninstall, fixed like routednet-node.
*/}}
{{- define "routednet.uninstallName" -}}routednet-uninstall{{- end -}}

{{- define "routednet.uninstallLabels" -}}
{{ include "routednet.labels" . }}
app.kubernetes.io/component: uninstall
{{- end -}}

{{/* The hook annotations; RBAC (weight -10) is made before the Job (weight 0) that uses it. */}}
{{- define "routednet.uninstallHook" -}}
helm.sh/hook: post-delete
helm.sh/hook-weight: {{ .weight | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- with .root.Values.commonAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The DaemonSet's selector: fixed forever (a selector cannot change on upgrade). */}}
{{- define "routednet.selectorLabels" -}}
app.kubernetes.io/name: routednet
app.kubernetes.io/component: node
{{- end -}}

{{- define "routednet.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* The Secrets the BGPPeers' passwords come from, by name (for the Role's resourceNames). */}}
{{- define "routednet.peerSecretNames" -}}
{{- $names := list -}}
{{- range .Values.bgp.peers -}}
{{- with .password -}}{{- $names = append $names .secretName -}}{{- end -}}
{{- end -}}
{{- $names | uniq | sortAlpha | toJson -}}
{{- end -}}

{{/* The agent's config file (ConfigMap routednet-node-config, key config.yaml). */}}
{{- define "routednet.agentConfig" -}}
# The node address: the core Node's InternalIP or the default-route interface's, unless an
# interface regex picks it.
nodeIpAutodetection: {{ .Values.nodeAddress.autodetection }}
{{- with .Values.nodeAddress.interface }}
nodeIpInterface: {{ . | quote }}
{{- end }}
# The API socket the CNI plugin on the host asks (hostPath /run/routednet).
apiSocket: /run/routednet/node.sock
# The plugin's attachment records and queued releases (its netconf dataDir, hostPath).
cniDataDir: /var/lib/cni/routednet
# Probes come from kubelet on the node itself: loopback is enough (the pod is on the host network).
healthHost: 127.0.0.1
healthPort: {{ .Values.healthPort }}
metricsHost: 0.0.0.0
metricsPort: {{ .Values.metricsPort }}
logLevel: {{ .Values.logLevel }}
{{- end -}}
