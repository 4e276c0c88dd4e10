/* rm/completion.c - bash completion for hacluster and its applets,
 * printed by `hacluster completion bash`.
 *
 * One function, _hacluster, completes hacluster (applets, verbs, --list,
 * help NAME, install, completion bash) and every applet, by its own name
 * or after hacluster APPLET|VERB (a verb is rewritten into its applet's
 * command line first: relocate -> clusvcadm -r, nodes -> cman_tool nodes,
 * addnode -> ccs_tool addnode).  Per applet: a (options that take a
 * value), o (the other options); the words before the cursor that are no
 * option nor an option's value are its operands, n.  Node, service, vm,
 * fence device and failover domain names are the name attributes of the
 * elements in cluster.conf: the -c FILE (--configfile) of the line where
 * -c is a file, rg_test's FILE, else $HACLUSTER_CONF, else
 * /etc/cluster/cluster.conf; a missing file gives no names and no error.
 * clusvcadm and clustat get services as NAME and vms as vm:NAME (a plain
 * NAME means service:NAME to them); ':' splits a word in COMP_WORDS, so
 * the words around a ':' are joined again and the replies trimmed to what
 * follows the last ':'.  Tested by test/completion.test.sh. */
#include "units.h"

const char completion_bash[] =
"# bash completion of hacluster and its applets\n"
"_hacluster_a=\"ccs_tool ccs_config_validate clustat clusvcadm cman_tool rg_test fence_node fence_ack_manual fence_manual\"\n"
"_hacluster_n() { sed 'H;$!d;x;s/\\n/ /g' \"$1\" 2>/dev/null|grep -oE \"<($2)[[:space:]][^>]*\"|sed -n \"s/^<\\([a-z]*\\).*[[:space:]]name=[\\\"']\\([^\\\"']*\\).*/\\1:\\2/p\"; }\n"
"_hacluster() {\n"
"local w=() c i x p a o= d= f= t s='*:' n=() cur m=\"nodes expected votes leave kill join\" l=({add,del,ls}{node,fence,service,resource,domain} create addnodeids update) q=\" relocate:r enable:e disable:d stop:s restart:R migrate:M freeze:Z unfreeze:U lock:l unlock:u \"\n"
"for ((i=0;i<${#COMP_WORDS[@]};i++)); do x=${COMP_WORDS[i]}\n"
"((i>1))&&[[ $x == : || ${COMP_WORDS[i-1]} == : ]]&&w[${#w[@]}-1]+=$x||w+=(\"$x\")\n"
"((i==COMP_CWORD))&&c=$((${#w[@]}-1))\n"
"done\n"
"cur=${w[c]} w=${w##*/} p=${w[1]}\n"
"if [[ $w == hacluster* ]]; then\n"
"x=\"$_hacluster_a daemon keygen agent install status validate fence${q//:?/}$m ${l[*]}\"\n"
"case $c:$p in\n"
"1:*) o=\"$x --list --version version help completion --help\";;\n"
"2:help) o=$x;;\n"
"2:completion) o=bash;;\n"
"*:install) o=\"-f --units --systemd --sysv\" d=d;;\n"
"*) case $p in\n"
"status) w[1]=clustat;; validate) w[1]=ccs_config_validate;; fence) w[1]=fence_node;;\n"
"nodes|expected|votes|leave|kill|join) w=cman_tool;;\n"
"*) [[ $q == *\" $p:\"* ]]&&x=${q#*\" $p:\"} w=clusvcadm w[1]=-${x:0:1}\n"
"[[ \" ${l[*]} \" == *\" $p \"* ]]&&w=ccs_tool\n"
"esac\n"
"[[ $w == hacluster* ]]&&w=(\"${w[@]:1}\")&&((c--))\n"
"esac\n"
"fi\n"
"case $w in\n"
"clusvcadm) a=\"-e -d -s -R -r -M -Z -U -c -m -n\" o=\"-F -l -u -S -q -v -h\";;\n"
"clustat) a=\"-m -s -i\" o=\"-l -Q -x -I -v -h --json\";;\n"
"cman_tool) a=\"-n -F -e -v -t -r -c\" o=\"-a -f -q -w --json -h\";;\n"
"ccs_tool) a=\"-c --configfile -o --outputfile\" o=\"-C --no_ccs -F --force_ccs -h --help\";;\n"
"ccs_config_validate) a=-c o=\"-q -h\";;\n"
"fence_node) a=-c o=\"-v -O -h\";;\n"
"fence_a*) a=-n o=\"-O -h\";;\n"
"fence_m*) a=-n o=\"-q -h\";;\n"
"daemon) a=\"-c -n -e --cluster\" o=\"-f -d -p -h\";;\n"
"keygen) o=\"-f -h\"\n"
"esac\n"
"for ((i=1;i<${#w[@]};i++)); do x=${w[i]}\n"
"if [[ \" $a \" == *\" $x \"* ]]; then ((i++)); [[ $x == -c && $w != c[lm]* || $x == --configfile ]]&&f=${w[i]}\n"
"elif [[ $x != -* ]]&&((i<c)); then n+=(\"$x\")\n"
"[[ $w == ccs_tool && ${#n[@]} == 1 ]]&&case $x in\n"
"ls*) o+=\" -v\";; addnode) a+=\" -n -v -a -f\";; addnodeids) a+=\" -n -m\" o+=\" -v\";; *resource) a+=\" -s\";;\n"
"create) o+=\" -2\";; addservice) o+=\" -V\";; adddomain) a=\"-c --configfile --outputfile\" o+=\" -o -r -n\"\n"
"esac\n"
"fi\n"
"done\n"
"[[ $w == rg_test ]]&&f=${n[1]}\n"
"f=${f:-${HACLUSTER_CONF:-/etc/cluster/cluster.conf}} f=${f/#\\~/$HOME} p=${w[c-1]} o=\"$a $o\"\n"
"if [[ \" $a \" == *\" $p \"* ]]; then o=\n"
"case $w$p in\n"
"clusvcadm-[mn]|clustat-m|cman_tool-n|fence_*-n|daemon-n) t=clusternode;;\n"
"clusvcadm-?|clustat-s) t=\"service|vm\" s=service:;;\n"
"ccs_tool-s) t=\"service|vm\";;\n"
"ccs_tool-f) t=fencedevice;;\n"
"cm*) ;;\n"
"*-c|*-o|*file) d=f\n"
"esac\n"
"elif [[ $cur != -* ]]; then\n"
"case $w:$n:${#n[@]} in\n"
"ccs_tool::0) o=\"${l[*]} help\";;\n"
"ccs_tool:delnode:1|ccs_tool:adddomain:[2-9]|fence_[na]*::0) o= t=clusternode;;\n"
"ccs_tool:delservice:1) o= t=\"service|vm\";;\n"
"ccs_tool:delfence:1) o= t=fencedevice;;\n"
"ccs_tool:deldomain:1) o= t=failoverdomain;;\n"
"ccs_tool:update:1|rg_test:*:1|rg_test:delta:2|keygen::0) o= d=f;;\n"
"cman_tool::0) o=\"status version wait $m\";;\n"
"cman_tool:leave:*) o=\"remove force\";;\n"
"rg_test::0) o=\"test noop delta\";;\n"
"rg_test:*:2) o=\"start stop status\";;\n"
"rg_test:*:3) o=\"service vm\";;\n"
"rg_test:*:4) o= t=${n[3]};;\n"
"agent::0) o=\"ip fs netfs nfsexport nfsclient\";;\n"
"agent:*:1) o=\"start stop status monitor meta-data\"\n"
"esac\n"
"fi\n"
"[[ $t ]]&&{ x=($(_hacluster_n \"$f\" \"$t\")); o=\"${x[*]#$s}\"; }\n"
"[[ $d ]]&&compopt -o filenames 2>/dev/null\n"
"mapfile -t COMPREPLY < <(compgen ${d:+-$d} -W \"$o\" -- \"$cur\")\n"
"[[ $cur == *:* ]]&&COMPREPLY=(\"${COMPREPLY[@]#\"${cur%:*}:\"}\")\n"
"}\n"
"complete -F _hacluster hacluster $_hacluster_a\n";
