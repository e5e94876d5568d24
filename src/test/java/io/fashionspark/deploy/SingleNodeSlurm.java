package io.fashionspark.deploy;

import static io.fashionspark.deploy.Scripts.freePort;
import static io.fashionspark.deploy.Scripts.script;

import io.fashionspark.deploy.Scripts.Proc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Slurm cluster of one node, this machine, for the length of a test: its own munged (on a private socket),
 * slurmctld and slurmd, configured by a slurm.conf in a temporary directory. No cgroups (proctrack/linuxproc,
 * task/none: containers often lack them), no accounting database (finished jobs stay in {@code scontrol show job}
 * for an hour instead). Needs root (slurmd runs jobs as their user) and Debian's slurm-wlm and munge.
 */
final class SingleNodeSlurm implements AutoCloseable {
    static final List<String> TOOLS = List.of("munged", "slurmctld", "slurmd", "sbatch", "scontrol", "scancel",
            "runuser");
    private static final List<String> PATH = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");

    final Path dir;
    final Path conf;
    final String node;
    final int cpus;
    final long memoryMb;
    private final List<Path> pidFiles = new ArrayList<>();

    private SingleNodeSlurm(Path dir, String node, int cpus, long memoryMb) {
        this.dir = dir;
        this.conf = dir.resolve("slurm.conf");
        this.node = node;
        this.cpus = cpus;
        this.memoryMb = memoryMb;
    }

    /** Why a Slurm cluster cannot be started here, or null when it can. */
    static String unavailable() throws IOException {
        List<String> missing = TOOLS.stream().filter(t -> which(t) == null).toList();
        if (!missing.isEmpty()) {
            return "needs " + String.join(", ", missing) + " (Debian: apt-get install slurm-wlm munge)";
        }
        if (!Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
            return "needs root (slurmd runs jobs as their user, munged as munge)";
        }
        return null;
    }

    static String which(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(PATH);
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, tool)).filter(Files::isExecutable)
                .map(Path::toString).findFirst().orElse(null);
    }

    /**
     * Starts munged, slurmctld and slurmd with their state, logs and sockets in dir (a new directory in a temporary
     * one); waits until the node is idle.
     */
    static SingleNodeSlurm start(Path dir) throws Exception {
        Proc hostname = script(List.of("hostname", "-s"), Map.of(), 10);
        Proc hardware = script(List.of(which("slurmd"), "-C"), Map.of(), 30);
        Matcher cpus = Pattern.compile("CPUs=(\\d+)").matcher(hardware.output());
        Matcher memory = Pattern.compile("RealMemory=(\\d+)").matcher(hardware.output());
        if (hostname.code() != 0 || hardware.code() != 0 || !cpus.find() || !memory.find()) {
            throw new IllegalStateException("cannot tell this node's name and size: " + hostname.output()
                    + hardware.output());
        }
        // A little below what slurmd measures: a node that reports less than its configuration is drained.
        SingleNodeSlurm slurm = new SingleNodeSlurm(dir, hostname.output().strip(), Integer.parseInt(cpus.group(1)),
                Long.parseLong(memory.group(1)) - 1024);
        slurm.startAll();
        return slurm;
    }

    private void startAll() throws Exception {
        for (String d : List.of("state", "spool", "log")) {
            Files.createDirectories(dir.resolve(d));
        }
        // munged runs as munge and wants every directory above its socket searchable by all (not readable): the
        // test's temporary directory is opened that far; directories above it are left as they are.
        for (Path p = dir.toAbsolutePath(); p != null && p.startsWith(dir.toAbsolutePath().getParent());
                p = p.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (perms.add(PosixFilePermission.OTHERS_EXECUTE) | perms.add(PosixFilePermission.GROUP_EXECUTE)) {
                Files.setPosixFilePermissions(p, perms);
            }
        }
        Path munge = Files.createDirectories(dir.resolve("munge"));
        UserPrincipalLookupService users = munge.getFileSystem().getUserPrincipalLookupService();
        GroupPrincipal mungeGroup = users.lookupPrincipalByGroupName("munge");
        Files.setOwner(munge, users.lookupPrincipalByName("munge"));
        Files.getFileAttributeView(munge, PosixFileAttributeView.class).setGroup(mungeGroup);
        Path key = Path.of("/etc/munge/munge.key");
        if (!Files.exists(key)) {
            // What mungekey makes: 1024 random bits, readable by munge alone.
            key = munge.resolve("munge.key");
            byte[] bits = new byte[128];
            new SecureRandom().nextBytes(bits);
            Files.write(key, bits);
            Files.setOwner(key, users.lookupPrincipalByName("munge"));
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        }
        Path socket = munge.resolve("munge.socket");
        pidFiles.add(munge.resolve("munged.pid"));
        run(List.of(which("runuser"), "-u", "munge", "--", which("munged"), "--socket=" + socket,
                "--key-file=" + key, "--pid-file=" + munge.resolve("munged.pid"),
                "--log-file=" + munge.resolve("munged.log"), "--seed-file=" + munge.resolve("munged.seed")));

        Files.writeString(conf, String.join("\n",
                "ClusterName=fashionspark-test",
                "SlurmctldHost=" + node,
                "SlurmctldPort=" + freePort(),
                "SlurmdPort=" + freePort(),
                "AuthType=auth/munge",
                "CredType=cred/munge",
                "AuthInfo=socket=" + socket,
                "SlurmUser=root",
                "SlurmdUser=root",
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("log/slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("log/slurmd.log"),
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "JobCompType=jobcomp/none",
                "MpiDefault=none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core_Memory",
                "ReturnToService=2",
                // No slurmdbd here: an hour keeps finished jobs (and their end state) in scontrol show job.
                "MinJobAge=3600",
                // Job ids of their own: the test finds a job's processes by the SLURM_JOB_ID they inherit.
                "FirstJobId=" + (1000 + new SecureRandom().nextInt(1_000_000)),
                "NodeName=" + node + " NodeAddr=127.0.0.1 CPUs=" + cpus + " RealMemory=" + memoryMb + " State=UNKNOWN",
                "PartitionName=test Nodes=" + node + " Default=YES MaxTime=INFINITE State=UP", ""));
        pidFiles.add(dir.resolve("slurmctld.pid"));
        run(List.of(which("slurmctld"), "-f", conf.toString()));
        pidFiles.add(dir.resolve("slurmd.pid"));
        run(List.of(which("slurmd"), "-f", conf.toString()));

        long deadline = System.nanoTime() + 60_000_000_000L;
        String state = "";
        while (System.nanoTime() < deadline) {
            state = scontrol("show", "node", node).output();
            if (state.contains("State=IDLE")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the Slurm node did not become idle in 60 s: " + state + logs());
    }

    /** A daemon that forks into the background; it fails with its output if it exits non-zero. */
    private void run(List<String> command) throws Exception {
        Proc started = script(command, Map.of(), 60);
        if (started.code() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + started.code() + ": "
                    + started.output() + logs());
        }
    }

    /** What Slurm's commands need to reach this cluster. */
    Map<String, String> env() {
        return Map.of("SLURM_CONF", conf.toString());
    }

    Proc scontrol(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(which("scontrol")));
        command.addAll(List.of(args));
        return script(command, env(), 30);
    }

    /** The daemons' logs, for failure messages. */
    String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path log : List.of(dir.resolve("log/slurmctld.log"), dir.resolve("log/slurmd.log"),
                dir.resolve("munge/munged.log"))) {
            if (Files.exists(log)) {
                all.append("\n--- ").append(log).append(":\n").append(Files.readString(log));
            }
        }
        return all.toString();
    }

    /** The pids of the daemons started, from their pid files. */
    List<Long> daemonPids() throws IOException {
        List<Long> pids = new ArrayList<>();
        for (Path f : pidFiles) {
            if (Files.exists(f)) {
                pids.add(Long.parseLong(Files.readString(f).trim()));
            }
        }
        return pids;
    }

    /** Stops slurmd, slurmctld and munged (in that order): SIGTERM, then SIGKILL after 20 s. */
    @Override
    public void close() throws Exception {
        List<Long> pids = daemonPids();
        for (int i = pids.size() - 1; i >= 0; i--) {
            ProcessHandle.of(pids.get(i)).ifPresent(p -> {
                p.destroy();
                try {
                    p.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception timedOut) {
                    p.destroyForcibly();
                }
            });
        }
    }
}
