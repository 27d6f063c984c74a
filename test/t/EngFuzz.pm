#
# Helpers shared by the fuzz tests (001_state_fuzz.pl, 008_function_fuzz.pl):
# seeded mutation of text and binary state values, SQL literals, and the
# COPY binary file that feeds one value to a type's receive function.
#
package EngFuzz;

use strict;
use warnings;

use Exporter 'import';
our @EXPORT = qw(mutate_text mutate_bytes sql_literal write_copy_binary);

# Valid seeds per state type, in text form, extremes included.  Each
# capability adds its type.
our %seeds = (
	nps_summary => [
		'(v=1,promoters=250,passives=675,detractors=75)',
		'(v=1,promoters=0,passives=0,detractors=0)',
		'(v=1,promoters=2,passives=1,detractors=1,promoter_weight=3,passive_weight=1,detractor_weight=4,weight_squares=22)',
		'(v=1,promoters=9223372036854775807,passives=0,detractors=0)',
	],
	funnel => [
		'(v=1,window_usec=3600000000,mode=default,steps=3,events=[2026-01-05T10:00:00Z 1,2026-01-05T10:10:00.5Z 2])',
		'(v=1,window_usec=0,mode=strict_order:allow_reentry,steps=2,events=[])',
		'(v=1,window_usec=60000000,mode=strict_deduplication:strict_increase,steps=32,events=[2026-01-05T10:00:00Z 32,2026-01-05T10:00:00Z 32])',
		'(v=1,window_usec=600000000,mode=strict_order:strict_once,steps=3,events=[2026-01-05T10:00:00Z 0,2026-01-05T10:00:00Z 1,2026-01-05T10:00:00Z &2,2026-01-05T10:00:00Z 1,2026-01-05T10:05:00Z 2,2026-01-05T10:05:00Z &3])',
	],
	markov_model => [
		'(v=1,conversions=4,non_conversions=1,transitions=[start>"google ads" 4,start>"mailing" 1,"google ads">"mailing" 1,"google ads">conv 2,"google ads">null 1,"mailing">conv 2])',
		'(v=1,conversions=0,non_conversions=0,value=12.5,transitions=[])',
		'(v=1,conversions=3,non_conversions=2,value=-0.25,transitions=[start>"a""b" 5,"a""b">"a""b" 7,"a""b">conv 3,"a""b">null 2])',
		'(v=2,order=2,conversions=5,non_conversions=3,value=52.5,transitions=[start>("a","b") 3,start>("c") 2,start>("c","a") 3,("a","b")>conv 3,("a","b")>null 1,("c")>conv 1,("c")>null 1,("c","a")>("a","b") 1,("c","a")>conv 1,("c","a")>null 1],idle=["z"])',
		'(v=2,order=3,conversions=0,non_conversions=0,transitions=[])',
		'(v=2,order=4,conversions=1,non_conversions=1,transitions=[start>("a""b","a""b","a""b","a""b") 9223372036854775806,("a""b","a""b","a""b","a""b")>("a""b","a""b","a""b","a""b") 5,("a""b","a""b","a""b","a""b")>conv 9223372036854775807,("a""b","a""b","a""b","a""b")>null 1])',
	],
	engagement => [
		'(v=1,half_life_usec=604800000000,first=2026-01-01T00:00:00Z,last=2026-01-08T00:00:00Z,involvement=1.5:2@2026-01-08T00:00:00Z,interaction=0:0,intimacy=0.5:1@2026-01-03T12:00:00Z,influence=0:0)',
		'(v=1,half_life_usec=1,first=0001-01-01T00:00:00Z,last=9999-12-31T23:59:59.999999Z,involvement=0:0,interaction=3.25:4@0001-01-01T00:00:00Z,intimacy=-0.75:1@2026-01-01T00:00:00Z,influence=1e300:9223372036854775802@9999-12-31T23:59:59.999999Z)',
	],
	rfm => [
		'(v=1,days=[2026-01-05T00:00:00Z 12.5,2026-02-01T00:00:00Z 30])',
		'(v=1,days=[0001-01-01T00:00:00Z -1e300,9999-12-31T00:00:00Z 0.1])',
	],
	bgnbd => [
		'(v=1,r=0.243,alpha=4.414,a=0.793,b=2.426)',
		'(v=1,r=0.2425929072885236,alpha=4.413531565347998,a=0.7928861471915445,b=2.425753431115753,customers=2357,ll=-9582.425560567348,iterations=24,cov=[0.002679400877153802,0.003461671141834868,0.00734378168169563,-0.0004566677934987034,-0.0008188696554104859,0.05486453216545538,0.00011155955001926128,0.0009828416015976928,0.06405271143054143,0.08454945321039871])',
	],
	gammagamma => [
		'(v=1,p=6.25,q=3.74,gamma=15.44)',
		'(v=1,p=6.248802510292562,q=3.744588452276854,gamma=15.447747948480812,customers=946,ll=-4055.923243502919,iterations=19,cov=[0.036,0.0011,0.006,-0.02,-0.0011,0.07])',
	],
	mbgnbd => [
		'(v=1,r=0.525,alpha=6.183,a=0.891,b=1.614)',
		'(v=1,r=0.524837982095677,alpha=6.182991987641489,a=0.8913561526381389,b=1.613999334487603,customers=2357,ll=-9582.132684899896,iterations=25,cov=[0.02516892725795729,0.01493755534436384,0.012656662477223073,-0.016046372529148215,-0.009653319105833835,0.03015483491391865,-0.04434827799656506,-0.02365705723131613,0.051296714717566964,0.11089336790311204])',
		'(v=1,r=1e300,alpha=1e-300,a=1e300,b=1e-300)',
	],
	bgbb => [
		'(v=1,alpha=1.204,beta=0.75,gamma=0.657,delta=2.783)',
		'(v=1,alpha=1.203522343959383,beta=0.7497163535054521,gamma=0.6567182100942067,delta=2.7834422338364746,customers=11104,ll=-33225.581274347,iterations=24,cov=[0.003324317537542556,0.002010297460250526,0.0015427987240179066,-0.0021509270817226863,-0.0011642431676486134,0.00603323352092864,-0.004035907742535713,-0.0021261952551197435,0.00863976243826656,0.013284822323928608])',
		'(v=1,alpha=1e300,beta=1e-300,gamma=1e300,delta=1e-300)',
	],
	paretonbd => [
		'(v=1,r=0.55,alpha=10.58,s=0.61,beta=11.67)',
		'(v=1,r=0.553275508022462,alpha=10.577612211328615,s=0.6062135664828718,beta=11.667911125267326,customers=2357,ll=-9594.973929826854,iterations=28,cov=[0.007410637425177399,0.005636000352726506,0.0063473926458220585,-0.009403777390861193,-0.004199514157659908,0.0954398006013292,-0.021794308854905634,-0.009771852090532593,0.15977560168386967,0.28336157396338096])',
		'(v=1,r=1e300,alpha=1e-300,s=1e300,beta=1e-300)',
	],
	engagement_logit => [
		'(v=1,rows=10,positives=4,iterations=5,penalty=0,log_likelihood=-6.5,coefficients=[-0.5,0.1,0.2,0.3,0.4],covariance=[1,0,1,0,0,1,0,0,0,1,0,0,0,0,1])',
		'(v=1,rows=46,positives=24,iterations=5,penalty=0.5,log_likelihood=-27.40840152,coefficients=[-0.8472978603872037,1.9459101090932196,0.15415067982725836,0.8472978603872037,2.2335922215070942],covariance=[0.47619047619047616,-0.47619047619047616,1.1428571428571428,-0.47619047619047616,0.47619047619047616,0.8511904761904762,-0.47619047619047616,0.47619047619047616,0.47619047619047616,1.1428571428571428,-0.47619047619047616,0.47619047619047616,0.47619047619047616,0.47619047619047616,1.1011904761904763])',
		'(v=1,rows=10000000,positives=1,iterations=100,penalty=1e300,log_likelihood=-1e300,coefficients=[1e300,1e300,1e300,1e300,1e300],covariance=[1e-300,0,1e-300,0,0,1e-300,0,0,0,1e-300,0,0,0,0,1e-300])',
	],
	community_health => [
		'(v=1,views=1,records=[(1,10,2,105,2026-03-01T10:00:00Z,2026-03-01T11:00:00Z,2026-03-01T10:00:00Z,-0.5),(1,11,1,20,2026-03-01T10:30:00Z,2026-03-01T10:30:00Z,-,-),(2,11,1,40,2026-03-02T09:00:00Z,2026-03-02T09:00:00Z,2026-03-02T09:00:00Z,0.25),(4,10,1,10,2026-03-05T08:00:00Z,2026-03-05T08:00:00Z,-,-)])',
		'(v=1,views=0,records=[(-9223372036854775808,9223372036854775807,9223372036854775807,0,0001-01-01T00:00:00Z,9999-12-31T23:59:59.999999Z,-,-1e300)])',
	],

	fractribution_summary => [
		'(v=1,channels=["A","B","C"],paths=[[] 2 0 8,[0] 2 2 20,[0 1] 3 1 60,[0 2] 1 4 7,[1] 1 3 10,[1 0] 1 3 4,[1 0 1] 1 1 5,[2] 0 5 0])',
		'(v=1,channels=["a""b","x(2)"],paths=[[0 0 1] 9223372036854775807 9223372036854775807 -1e300])',
		'(v=1,channels=[],paths=[[] 0 0 0])',
	],

	identity_graph => [
		'(v=1,identifiers=["a" 2026-01-01T00:00:00Z,"b" 2026-01-02T00:00:00Z,"crm:1" 2026-01-01T00:00:00Z],pairs=[0 1 2026-01-02T00:00:00Z,0 2 2026-01-01T00:00:00Z,1 2 2026-01-03T00:00:00Z])',
		'(v=1,identifiers=["" 0001-01-01T00:00:00Z,"email:x" 0001-01-01T00:00:00Z,"say ""hi""" 9999-12-31T23:59:59.999999Z],pairs=[0 1 0001-01-01T00:00:00Z])',
		'(v=1,identifiers=["lone" 2026-01-01T00:00:00Z],pairs=[])',
	],

	classifier_summary => [
		'(v=1,scores=[0.3 0 1,0.5 1 1,0.6 0 1,0.7 1 0,0.9 1 0])',
		'(v=1,scores=[0.5 4611686018427387904 4611686018427387903])',
		'(v=1,scores=[-1e+300 1 0,0 0 2,1e+300 3 4])',
		'(v=1,scores=[1 5 0])',
	],

	journey => [
		'(v=1,touches=[2026-01-05T10:00:00Z web view,2026-01-05T10:04:00.5Z email])',
		'(v=1,touches=[2026-01-05T10:00:00Z "call centre" "say ""hi""",2026-01-05T10:01:00Z "" "a,b",2026-02-05T10:02:00Z app x,2026-02-05T10:02:00Z app y])',
		'(v=1,touches=[0001-01-01T00:00:00Z first,9999-12-31T23:59:59.999999Z last])',
	],
);

# Pieces a text mutation splices in.
my @tokens = (
	'(', ')', ',', '=', '-', '+', '.', 'e', 'E', ' ', "\t", "\n", '0', '1',
	'9', '2147483648', '9223372036854775808', '-9223372036854775809',
	'1e308', '1e-320', 'nan', 'inf', '-inf', 'Infinity', '0x1p3', 'v=2',
	'promoters=', 'weight_squares=', '""', 'T', 'Z', '[', ']', '"', '2026-02-29T',
	'23:59:60', '.0000001', '\\', "'", '%s', '%n', '\x01',
	'x' x 300,
);

# Numbers a mutation puts in place of one number of the value.
my @numbers = ('0', '-1', '1', '18446744073709551616', '1.5', '1e300',
	'4611686018427387904', '-0', '00000000000000000000001');

# One to four random edits of a text value (the caller seeds rand()).
sub mutate_text
{
	my ($s) = @_;
	my $rounds = 1 + int(rand(4));
	for (1 .. $rounds)
	{
		my $len = length($s);
		my $pos = $len ? int(rand($len + 1)) : 0;
		my $op  = int(rand(7));
		if ($op == 0) { substr($s, $pos, 0) = $tokens[ rand @tokens ]; }
		elsif ($op == 1 && $len) { substr($s, $pos, 1 + int(rand(5))) = ''; }
		elsif ($op == 2 && $len)
		{
			substr($s, $pos, 1) = chr(32 + int(rand(95)));
		}
		elsif ($op == 3) { $s = substr($s, 0, $pos); }
		elsif ($op == 4 && $len)
		{
			my $from = int(rand($len));
			$s .= substr($s, $from, 1 + int(rand(20)));
		}
		elsif ($op == 5)
		{
			$s =~ s/(\d+(?:\.\d+)?)/$numbers[rand @numbers]/e;
		}
		else
		{
			$s = join('', map { chr(32 + int(rand(95))) } 1 .. int(rand(40)));
		}
	}
	return $s;
}

# One to three random edits of a binary value.
sub mutate_bytes
{
	my ($b) = @_;
	my $ops = 1 + int(rand(3));
	for (1 .. $ops)
	{
		my $op  = int(rand(5));
		my $len = length($b);
		if ($op == 0 && $len)
		{
			substr($b, int(rand($len)), 1) = chr(int(rand(256)));
		}
		elsif ($op == 1) { $b = substr($b, 0, int(rand($len + 1))); }
		elsif ($op == 2)
		{
			$b .= join('', map { chr(int(rand(256))) } 1 .. 1 + int(rand(16)));
		}
		elsif ($op == 3 && $len)
		{
			# flip one bit
			my $p = int(rand($len));
			substr($b, $p, 1) = chr(ord(substr($b, $p, 1)) ^ (1 << int(rand(8))));
		}
		else
		{
			$b = join('', map { chr(int(rand(256))) } 1 .. int(rand(72)));
		}
	}
	return $b;
}

sub sql_literal
{
	my ($s) = @_;
	$s =~ s/'/''/g;
	return "'$s'";
}

# A COPY ... (FORMAT binary) file of one row with one column holding $bytes.
sub write_copy_binary
{
	my ($file, $bytes) = @_;
	open(my $fh, '>:raw', $file) or die "cannot write $file: $!";
	print $fh "PGCOPY\n\377\r\n\0", pack('N', 0), pack('N', 0);
	print $fh pack('n', 1), pack('N', length($bytes)), $bytes;
	print $fh pack('n', 0xFFFF);
	close $fh;
	return;
}

1;
