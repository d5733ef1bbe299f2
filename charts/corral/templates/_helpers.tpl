{{/* Names, labels and the few values several templates derive the same way. */}}

{{- define "corral.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* corral.fullname: the release-scoped prefix of every object (short enough for suffixes). */}}
{{- define "corral.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* corral.labels: the standard labels; call with (dict "root" $ "component" "apiserver"). */}}
{{- define "corral.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{ include "corral.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: corral
{{- end }}

{{- define "corral.selectorLabels" -}}
app.kubernetes.io/name: {{ include "corral.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "corral.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "corral.etcdName" -}}{{ include "corral.fullname" . }}-etcd{{- end }}
{{- define "corral.etcdPeersName" -}}{{ include "corral.fullname" . }}-etcd-peers{{- end }}
{{- define "corral.apiserverName" -}}{{ include "corral.fullname" . }}-apiserver{{- end }}

{{/* corral.etcdMemberHost: the stable DNS name of member $i (headless Service). */}}
{{- define "corral.etcdMemberHost" -}}
{{- printf "%s-%d.%s.%s.svc.%s" (include "corral.etcdName" .root) .index (include "corral.etcdPeersName" .root) .root.Release.Namespace .root.Values.clusterDomain }}
{{- end }}

{{/* corral.etcdEndpoints: the API server's --etcd, every member so the client fails over. */}}
{{- define "corral.etcdEndpoints" -}}
{{- if .Values.etcd.enabled }}
{{- $urls := list }}
{{- range $i := until (int .Values.etcd.replicas) }}
{{- $urls = append $urls (printf "http://%s:2379" (include "corral.etcdMemberHost" (dict "root" $ "index" $i))) }}
{{- end }}
{{- join "," $urls }}
{{- else }}
{{- join "," .Values.etcd.externalEndpoints }}
{{- end }}
{{- end }}

{{/* corral.apiserverHost: the Service's in-cluster name, the server of every kubeconfig. */}}
{{- define "corral.apiserverHost" -}}
{{- printf "%s.%s.svc" (include "corral.apiserverName" .) .Release.Namespace }}
{{- end }}

{{- define "corral.tlsSecretName" -}}
{{- default (printf "%s-tls" (include "corral.fullname" .)) .Values.apiserver.tls.existingSecret }}
{{- end }}

{{- define "corral.authSecretName" -}}
{{- default (printf "%s-auth" (include "corral.fullname" .)) .Values.auth.existingSecret }}
{{- end }}

{{- define "corral.kubeconfigName" -}}{{ include "corral.fullname" . }}-kubeconfig{{- end }}

{{/*
corral.clientVolume: the files an API client needs, in one read-only directory
(/etc/corral/client): the kubeconfig, the CA (never the serving key) and this component's
token. Call with (dict "root" $ "token" "agent.token").
*/}}
{{- define "corral.clientVolume" -}}
- name: client
  projected:
    defaultMode: 0444
    sources:
      - configMap:
          name: {{ include "corral.kubeconfigName" .root }}
          items: [{ key: kubeconfig, path: kubeconfig }]
      - secret:
          name: {{ include "corral.tlsSecretName" .root }}
          items: [{ key: ca.crt, path: ca.crt }]
      - secret:
          name: {{ include "corral.authSecretName" .root }}
          items: [{ key: {{ .token }}, path: token }]
{{- end }}

{{/* corral.restrictedSecurityContext: the container context of the non-root components. */}}
{{- define "corral.restrictedSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end }}
