/* quorum/qdiskd.c - the qdiskd part: quorum/qdisk.c on a device.
 *
 *   every interval -> the heuristics that are due start as children
 *                     (sh -c PROGRAM; still running when due again:
 *                     killed and counted as failed), the score decides
 *                     fitness, qdisk_cycle() runs on the image the helper
 *                     read last, and our new slot goes to the helper
 *   helper         -> a child process that does the blocking I/O (write
 *                     our slot, fdatasync, read all slots) so a hung disk
 *                     never stalls the ring; it answers with the image
 *   master role    -> NEWS_QDISK: the cman part claims it in our HELLO,
 *                     and every member counts the disk's votes at the
 *                     point that HELLO is delivered
 *   stopped writer -> NEWS_EVICT: the master evicts it from the ring
 *                     (the cman part sends a kill)
 *   unfit          -> after having been fit, with reboot="1" (default):
 *                     leave the cluster (we do not reboot the machine)
 *
 * The start-up configuration's <quorumd> stays in force until restart.
 * It stops after the ring part: writing the clean-stop slot may wait,
 * and a member that waits would be taken for a failed one. */
#include "qdisk.h"
#include "../net/loop.h"
#include "../net/part.h"
#include "../net/sys.h"
#include "../xml/conf.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define STOP_WAIT_MS	2000	/* for the clean-stop slot at exit */

struct heur {
	pid_t pid;		/* running, or 0 */
	int64_t due;
	int misses;		/* failures in a row */
	int passed;		/* ever passed */
};

static struct {
	struct view *v;
	const struct conf_qdisk *c;
	struct qdisk q;
	struct heur h[CONF_MAX_HEURISTICS];
	int fd, sock, busy, have, fit, was_fit, io_err, min_score;
	pid_t helper;
	int64_t next;
	uint8_t reply[1 + QDISK_SIZE];	/* errno byte, image */
} Qd;			/* zero: in .bss, not in the binary */

/* --- children -------------------------------------------------------------- */
/* The I/O helper: one request (our slot) -> one answer (errno, image).
 * It keeps only its socket and the device: a helper stuck in the disk
 * must not hold the ring's sockets after the daemon is gone. */
static void NORETURN helper(int sock, pid_t parent)
{
	/* aligned for O_DIRECT */
	static uint8_t slot[QDISK_BLOCK] __attribute__((aligned(4096)));
	static uint8_t img[QDISK_SIZE] __attribute__((aligned(4096)));
	off_t at = (off_t)(Qd.q.me - 1) * QDISK_BLOCK;

	/* outlive a signal to our process group long enough to write the
	 * clean-stop slot: EOF on sock or the parent's death ends us */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	for (int fd = 0; fd < 1024; fd++)
		if (fd != sock && fd != Qd.fd)
			close(fd);
	for (;;) {
		ssize_t n = recv(sock, slot, sizeof slot, 0);
		int err = 0;

		if (n != QDISK_BLOCK)
			_exit(0);
		if (pwrite(Qd.fd, slot, QDISK_BLOCK, at) != QDISK_BLOCK ||
		    fdatasync(Qd.fd) < 0)
			err = errno ? errno : EIO;
		memset(img, 0, QDISK_SIZE);
		if (pread(Qd.fd, img, QDISK_SIZE, 0) < 0 && !err)
			err = errno;
		Qd.reply[0] = (uint8_t)(err > 255 ? EIO : err);
		memcpy(Qd.reply + 1, img, QDISK_SIZE);
		if (send(sock, Qd.reply, sizeof Qd.reply, 0) < 0)
			_exit(0);
	}
}

static void drop_sock(void)
{
	if (Qd.sock < 0)
		return;
	loop_fd_del(Qd.sock);
	close(Qd.sock);
	Qd.sock = -1;
	Qd.busy = 0;
}

static void on_reply(void *ctx, int fd, int events)
{
	ssize_t n = recv(fd, Qd.reply, sizeof Qd.reply, MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	Qd.busy = 0;
	Qd.have = n == (ssize_t)sizeof Qd.reply && !Qd.reply[0];
	if (n == (ssize_t)sizeof Qd.reply && Qd.reply[0] && !Qd.io_err)
		log_msg(LOG_LVL_ERR, "quorum disk %s: %s", Qd.c->device,
			strerror(Qd.reply[0]));
	Qd.io_err = !Qd.have;
	if (n <= 0)
		drop_sock();	/* the helper is gone: see on_helper_exit */
}

/* Started again at the next cycle. */
static void on_helper_exit(void *ctx, pid_t pid, int status)
{
	log_msg(LOG_LVL_ERR, "quorum disk: the I/O helper %d exited "
		"(status 0x%x); starting another", (int)pid, status);
	Qd.helper = 0;
	drop_sock();
}

static void start_helper(void)
{
	pid_t me = getpid();
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		sv[0] = sv[1] = -1;
	if (sv[0] < 0 || (Qd.helper = loop_fork()) < 0) {
		log_msg(LOG_LVL_ERR, "quorum disk: cannot start the I/O "
			"helper: %s", strerror(errno));
		if (sv[0] >= 0) {
			close(sv[0]);
			close(sv[1]);
		}
		Qd.helper = 0;
		return;
	}
	if (!Qd.helper) {
		close(sv[0]);
		helper(sv[1], me);
	}
	close(sv[1]);
	Qd.sock = sv[0];
	loop_fd_add(Qd.sock, LOOP_READ, on_reply, NULL);
	if (loop_child_watch(Qd.helper, on_helper_exit, NULL) < 0)
		log_msg(LOG_LVL_WARN, "quorum disk: the I/O helper is not "
			"watched (child table full)");
}

/* --- heuristics ------------------------------------------------------------ */
static void kill_heur(struct heur *h)
{
	kill(-h->pid, SIGKILL);		/* sh and what it started */
	kill(h->pid, SIGKILL);		/* before its setpgid */
	h->pid = 0;
}

static void on_heur_exit(void *ctx, pid_t pid, int status)
{
	struct heur *h = ctx;

	if (h->pid != pid)
		return;		/* killed as late and counted already */
	h->pid = 0;
	if (WIFEXITED(status) && !WEXITSTATUS(status)) {
		h->misses = 0;
		h->passed = 1;
	} else {
		h->misses++;
	}
}

static void run_heur(int i, int64_t now)
{
	const struct conf_heuristic *c = &Qd.c->heuristic[i];
	struct heur *h = &Qd.h[i];

	if (h->pid) {
		kill_heur(h);
		h->misses++;
	}
	h->due = now + 1000LL * c->interval;
	if ((h->pid = loop_fork()) == 0) {
		int null = open("/dev/null", O_RDWR);

		setpgid(0, 0);
		for (int fd = 0; fd < 3; fd++)
			dup2(null, fd);
		if (null > 2)
			close(null);
		execl("/bin/sh", "sh", "-c", c->program, (char *)NULL);
		_exit(127);
	}
	if (h->pid < 0) {
		h->pid = 0;
		h->misses++;
	} else if (loop_child_watch(h->pid, on_heur_exit, h) < 0) {
		kill_heur(h);		/* unwatched: never kill it later */
		h->misses++;
	}
}

static int score(void)
{
	int s = 0;

	for (int i = 0; i < Qd.c->nheuristics; i++)
		if (Qd.h[i].passed &&
		    Qd.h[i].misses < Qd.c->heuristic[i].tko)
			s += Qd.c->heuristic[i].score;
	return s;
}

/* Fit or not; losing fitness once had takes this node out. */
static void judge(void)
{
	int s = score(), fit = !Qd.c->nheuristics || s >= Qd.min_score;

	if (fit != Qd.fit)
		log_msg(fit ? LOG_LVL_NOTICE : LOG_LVL_ERR, "quorum disk: "
			"heuristic score %d, min_score %d: %s", s,
			Qd.min_score, fit ? "fit" : "unfit");
	Qd.fit = fit;
	if (fit)
		Qd.was_fit = 1;
	else if (Qd.was_fit && Qd.c->reboot) {
		log_msg(LOG_LVL_ERR, "quorum disk: leaving the cluster "
			"(reboot=\"1\"; reboot=\"0\" keeps the node in it)");
		Qd.was_fit = 0;
		loop_stop();
	}
}

/* --- the cycle ------------------------------------------------------------- */
static int is_member(uint32_t id)
{
	for (int i = 0; Qd.v->member && i < Qd.v->nmembers; i++)
		if (Qd.v->members[i] == id)
			return id != Qd.v->nodeid;
	return 0;
}

/* The master evicts a member that stopped writing. */
static void stopped(uint32_t id)
{
	int evict = qdisk_is_master(&Qd.q) && Qd.c->allow_kill &&
		    is_member(id);

	log_msg(LOG_LVL_NOTICE, "quorum disk: node %" PRIu32 " stopped "
		"writing for %d cycles%s", id, Qd.q.tko,
		evict ? "; evicting it from the ring" : "");
	if (evict)
		Qd.v->post(NEWS_EVICT, id);
}

static void report(const struct qdisk_out *o)
{
	for (uint32_t id = 1; id <= QDISK_NODES; id++) {
		uint16_t bit = (uint16_t)(1u << (id - 1));

		if (o->started & bit)
			log_msg(LOG_LVL_INFO, "quorum disk: node %" PRIu32
				" is writing", id);
		if (o->stopped & bit)
			stopped(id);
	}
	if (!o->master_changed)
		return;
	log_msg(LOG_LVL_NOTICE, "quorum disk: this node is %s the master",
		qdisk_is_master(&Qd.q) ? "now" : "no longer");
	Qd.v->qdisk_master = qdisk_is_master(&Qd.q);
	Qd.v->post(NEWS_QDISK, 0);
}

static void on_tick(void *ctx)
{
	struct qdisk_out o;
	int64_t now = now_ms(), iv = 1000LL * Qd.c->interval;
	uint32_t foreign;

	if (Qd.sock < 0 && !Qd.helper)
		start_helper();
	for (int i = 0; i < Qd.c->nheuristics; i++)
		if (now >= Qd.h[i].due)
			run_heur(i, now);
	judge();
	foreign = Qd.q.foreign;
	qdisk_cycle(&Qd.q, Qd.have ? Qd.reply + 1 : NULL, Qd.fit, &o);
	if (Qd.q.foreign && !foreign)
		log_msg(LOG_LVL_WARN, "quorum disk %s: %" PRIu32 " slots are "
			"another cluster's", Qd.c->device, Qd.q.foreign);
	Qd.have = 0;
	if (Qd.sock >= 0 && !Qd.busy &&
	    send(Qd.sock, o.slot, QDISK_BLOCK, MSG_DONTWAIT) == QDISK_BLOCK)
		Qd.busy = 1;
	report(&o);
	Qd.next += iv;
	if (Qd.next <= now)
		Qd.next = now + iv;
	loop_timer_add(Qd.next, on_tick, NULL);
}

/* --- start, stop, status --------------------------------------------------- */
static int min_score(const struct conf_qdisk *c)
{
	int all = 0;

	for (int i = 0; i < c->nheuristics; i++)
		all += c->heuristic[i].score;
	return c->min_score > 0 ? c->min_score : (all + 1) / 2;
}

static int start(struct view *v, char *err, size_t errlen)
{
	const struct conf *c = v->conf;
	const struct conf_node *me = v->me;
	const struct conf_qdisk *q = &c->qdisk;
	int flags = O_RDWR | O_CLOEXEC;

	Qd.v = v;
	if (!q->x || v->guest)
		return 0;
	if (!q->device) {
		snprintf(err, errlen, "quorum disk: label=\"%s\" is not "
			 "supported; give device=\"PATH\"", q->label);
		return -1;
	}
	if (me->nodeid > QDISK_NODES) {
		snprintf(err, errlen, "quorum disk: node id %d is above %d",
			 me->nodeid, QDISK_NODES);
		return -1;
	}
	/* Never created here: a mistyped path or a device not yet up
	 * would give each node a disk of its own, and a master each.
	 * Past the page cache where the filesystem allows. */
	Qd.fd = open(q->device, flags | O_DIRECT);
	if (Qd.fd < 0 && errno == EINVAL)
		Qd.fd = open(q->device, flags);
	if (Qd.fd < 0) {
		snprintf(err, errlen, "quorum disk %s: %s", q->device,
			 strerror(errno));
		return -1;
	}
	Qd.c = q;			/* not NULL: the disk is on */
	Qd.sock = -1;
	Qd.min_score = min_score(q);
	qdisk_init(&Qd.q, q, (uint32_t)me->nodeid,
		   (uint32_t)c->cman.cluster_id);
	Qd.next = now_ms();
	loop_timer_add(Qd.next, on_tick, NULL);
	return 0;
}

/* Write the clean-stop slot (bounded wait), stop the children. */
static void stop(void)
{
	uint8_t slot[QDISK_BLOCK];
	int64_t end = now_ms() + STOP_WAIT_MS;
	int want = Qd.busy + 1;

	if (!Qd.c)
		return;
	for (int i = 0; i < Qd.c->nheuristics; i++)
		if (Qd.h[i].pid)
			kill_heur(&Qd.h[i]);
	qdisk_slot_none(&Qd.q, slot);
	if (Qd.sock >= 0 && send(Qd.sock, slot, QDISK_BLOCK, 0) > 0)
		while (want > 0 && now_ms() < end) {
			struct timeval tv = { 0, 100000 };

			setsockopt(Qd.sock, SOL_SOCKET, SO_RCVTIMEO, &tv,
				   sizeof tv);
			want -= recv(Qd.sock, Qd.reply, sizeof Qd.reply,
				     0) > 0;
		}
	if (Qd.sock >= 0)
		close(Qd.sock);
	close(Qd.fd);
	Qd.c = NULL;
}

static void status(struct ctl_req *r)
{
	if (!Qd.c)
		return;
	ctl_printf(r, "quorum_disk: %s", Qd.c->device);
	ctl_printf(r, "quorum_disk_state: %s", qdisk_state_name(Qd.q.state));
	ctl_printf(r, "quorum_disk_master: %" PRIu32, qdisk_master(&Qd.q));
	ctl_printf(r, "quorum_disk_score: %d/%d", score(), Qd.min_score);
}

const struct part qdiskd_part = {
	.name = "qdiskd",
	.start = start,
	.stop = stop,
	.status = status,
};
